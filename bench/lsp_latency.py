"""Latency of `vic-lint server`, measured as an editor sees it: from a request (or a didSave,
which judges at once, with no debounce) to its answer (or its publishDiagnostics).
    cargo build --release -p vic-lint
    python3 bench/lsp_latency.py fixtures/reference                 # a typical component
    python3 bench/gen_appliance_tree.py 100 /tmp/t100 && python3 bench/lsp_latency.py /tmp/t100
The unit opened is the first `*.service` under the root with one violation added (U002), so
codeAction has a fix to offer and hover a finding to explain. Prints median and worst of ROUNDS."""
import json, os, pathlib, statistics, subprocess, sys, time

ROUNDS = 30
root = pathlib.Path(sys.argv[1]).resolve()
bin_ = os.environ.get("VIC_LINT", "target/release/vic-lint")
units = sorted(root.rglob("*.service"))
unit = next((u for u in units if "WantedBy=vic-appliance.target" in u.read_text()), units[0])
text = unit.read_text().replace("WantedBy=vic-appliance.target", "WantedBy=multi-user.target")
uri = unit.as_uri()
line = next(i for i, l in enumerate(text.splitlines()) if l.startswith("WantedBy="))

srv = subprocess.Popen([bin_, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
ids = iter(range(1, 10**9))

def send(msg):
    body = json.dumps({"jsonrpc": "2.0", **msg}).encode()
    srv.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    srv.stdin.flush()

def read():
    length = 0
    while True:
        header = srv.stdout.readline().strip()
        if not header:
            break
        if header.lower().startswith(b"content-length:"):
            length = int(header.split(b":")[1])
    return json.loads(srv.stdout.read(length))

def wait(pred):
    while True:
        m = read()
        if pred(m):
            return m

def request(method, params):
    n = next(ids)
    send({"id": n, "method": method, "params": params})
    return wait(lambda m: m.get("id") == n)

def published(m):
    return m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri

request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {
    "general": {"positionEncodings": ["utf-8"]}}, "workspaceFolders": [{"uri": root.as_uri(), "name": "bench"}]})
send({"method": "initialized", "params": {}})
send({"method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri, "languageId": "systemd", "version": 1, "text": text}}})
diags = wait(published)["params"]["diagnostics"]
assert diags, "the deliberate violation was not reported"
pos = diags[0]["range"]["start"]

times = {"didSave -> publishDiagnostics": [], "codeAction": [], "hover": []}
for _ in range(ROUNDS):
    t = time.perf_counter()
    send({"method": "textDocument/didSave", "params": {"textDocument": {"uri": uri}}})
    wait(published)
    times["didSave -> publishDiagnostics"].append(time.perf_counter() - t)
    t = time.perf_counter()
    r = request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": diags[0]["range"],
                                            "context": {"diagnostics": diags}})
    times["codeAction"].append(time.perf_counter() - t)
    assert r.get("result"), r
    t = time.perf_counter()
    r = request("textDocument/hover", {"textDocument": {"uri": uri}, "position": pos})
    times["hover"].append(time.perf_counter() - t)
    assert r.get("result"), r

request("shutdown", None)
send({"method": "exit"})
srv.wait(timeout=10)
files = sum(1 for p in root.rglob("*") if p.is_file())
print(f"{root} ({files} files), {unit.relative_to(root)}, {ROUNDS} rounds")
for name, xs in times.items():
    print(f"  {name:32} median {statistics.median(xs)*1000:7.1f} ms   worst {max(xs)*1000:7.1f} ms")
