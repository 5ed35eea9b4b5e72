-- Driven by tests/neovim.rs: Neovim's own LSP client (0.7 API, which later versions keep)
-- against `vic-lint server`. It opens one unit, records the diagnostics it is shown, asks for
-- the code actions at the first one, applies the preferred (safe) fix, writes the file and waits
-- for the diagnostics to clear. Everything it saw goes to VIC_LINT_OUT, one fact per line.
local bin = os.getenv("VIC_LINT_BIN")
local root = os.getenv("VIC_LINT_ROOT")
local file = os.getenv("VIC_LINT_FILE")
local out = os.getenv("VIC_LINT_OUT")
local log = {}

local function say(line)
  table.insert(log, line)
end

local function code_of(d)
  local lsp = d.user_data and d.user_data.lsp
  return d.code or (lsp and lsp.code) or "?"
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({ name = "vic-lint", cmd = { bin, "server" }, root_dir = root })
  assert(id, "the client did not start")
  vim.lsp.buf_attach_client(buf, id)
  local client = vim.lsp.get_client_by_id(id)

  assert(vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20), "no diagnostics arrived")
  local diags = vim.diagnostic.get(buf)
  for _, d in ipairs(diags) do
    say(string.format("diagnostic %s %d:%d-%d:%d severity=%d %s", code_of(d), d.lnum, d.col, d.end_lnum,
      d.end_col, d.severity, (d.message:gsub("\n", " "))))
  end

  local d = diags[1]
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.end_lnum, character = d.end_col } },
    -- What vim.lsp.buf.code_action() sends: the line's diagnostics, in LSP form.
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, d.lnum) },
  }
  local resp = client.request_sync("textDocument/codeAction", params, 30000, buf)
  assert(resp and resp.result, "no answer to codeAction: " .. vim.inspect(resp))
  local chosen
  for _, a in ipairs(resp.result) do
    say("action " .. a.title .. (a.isPreferred and " [preferred]" or ""))
    if a.isPreferred and not chosen then
      chosen = a
    end
  end
  assert(chosen, "no preferred action")
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or "utf-16")
  vim.cmd("write")
  local cleared = vim.wait(30000, function() return #vim.diagnostic.get(buf) == 0 end, 20)
  say("cleared " .. tostring(cleared))
end)

local f = assert(io.open(out, "w"))
f:write((ok and "ok" or ("error " .. tostring(err))) .. "\n" .. table.concat(log, "\n") .. "\n")
f:close()
vim.cmd("qall!")
