//! Rendering many findings on every core, written in order.
//!
//! Each finding renders on its own (a miette report, a JSON object), so windows of them render
//! in parallel into buffers, and the buffers are written in order before the next window starts.
//! Memory stays bounded by the window, and the output is byte for byte what a loop would write.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::{Serialize, Serializer};

/// Items per parallel task: large enough that a task outweighs its scheduling.
const CHUNK: usize = 256;
/// Chunks rendered before their buffers are written.
const WINDOW: usize = 16;

/// Renders every item with `render` into its own buffer and writes them in order, with `sep`
/// between two items.
pub(crate) fn each<T: Sync>(
    items: &[T],
    sep: &[u8],
    out: &mut dyn Write,
    render: impl Fn(&T, &mut Vec<u8>) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let mut first = true;
    for window in items.chunks(CHUNK * WINDOW) {
        let parts: Vec<io::Result<Vec<u8>>> = window
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut buf = Vec::new();
                for (i, item) in chunk.iter().enumerate() {
                    if i > 0 {
                        buf.extend_from_slice(sep);
                    }
                    render(item, &mut buf)?;
                }
                Ok(buf)
            })
            .collect();
        for part in parts {
            if !first {
                out.write_all(sep)?;
            }
            first = false;
            out.write_all(&part?)?;
        }
    }
    Ok(())
}

/// Stands for the array in the document that `pretty_with_array` serializes; it is replaced by
/// the rendered items. The NUL bytes make it a string no real field holds.
pub(crate) struct ArraySlot;

const SLOT: &str = "\u{0}vic-lint-array\u{0}";
/// How serde_json writes `SLOT`, quotes included.
const SLOT_JSON: &[u8] = b"\"\\u0000vic-lint-array\\u0000\"";

impl Serialize for ArraySlot {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(SLOT)
    }
}

/// `serde_json::to_writer_pretty(doc)`, where the one `ArraySlot` of `doc` is the array of
/// `items`, each written by `item` (with `serde_json::to_writer_pretty`) in parallel.
pub(crate) fn pretty_with_array<T: Sync>(
    doc: &impl Serialize,
    items: &[T],
    out: &mut dyn Write,
    item: impl Fn(&T, &mut Vec<u8>) -> serde_json::Result<()> + Sync,
) -> io::Result<()> {
    let skeleton = serde_json::to_vec_pretty(doc)?;
    let Some(at) = skeleton.windows(SLOT_JSON.len()).position(|w| w == SLOT_JSON) else {
        return Err(io::Error::other("the report has no place for its findings"));
    };
    let (head, tail) = skeleton.split_at(at);
    let tail = tail.get(SLOT_JSON.len()..).unwrap_or_default();
    // The array's items sit one level (two spaces, as serde_json indents) below the line that
    // holds the slot.
    let line_start = head.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
    let outer: Vec<u8> =
        head.get(line_start..).unwrap_or_default().iter().take_while(|b| **b == b' ').copied().collect();
    let mut pad = outer.clone();
    pad.extend_from_slice(b"  ");
    out.write_all(head)?;
    if items.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[\n")?;
        each(items, b",\n", out, |x, buf| {
            let mut text = Vec::new();
            item(x, &mut text)?;
            indent(&text, &pad, buf);
            Ok(())
        })?;
        out.write_all(b"\n")?;
        out.write_all(&outer)?;
        out.write_all(b"]")?;
    }
    out.write_all(tail)
}

/// Copies `text` with `pad` before each of its lines. JSON strings hold no raw newline, so
/// every newline is between two lines of the document.
fn indent(text: &[u8], pad: &[u8], out: &mut Vec<u8>) {
    for (i, line) in text.split(|b| *b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(pad);
        out.extend_from_slice(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Doc {
        a: u32,
        items: ArraySlot,
        b: Vec<u32>,
    }

    #[derive(Serialize)]
    struct Plain {
        a: u32,
        items: Vec<serde_json::Value>,
        b: Vec<u32>,
    }

    fn both(n: usize) -> (String, String) {
        let items: Vec<serde_json::Value> =
            (0..n).map(|i| serde_json::json!({"i": i, "s": format!("x\ny{i}"), "v": [i, i]})).collect();
        let mut spliced = Vec::new();
        let doc = Doc { a: 1, items: ArraySlot, b: vec![2, 3] };
        pretty_with_array(&doc, &items, &mut spliced, |v, buf| serde_json::to_writer_pretty(buf, v)).unwrap();
        let plain = serde_json::to_string_pretty(&Plain { a: 1, items, b: vec![2, 3] }).unwrap();
        (String::from_utf8(spliced).unwrap(), plain)
    }

    #[test]
    fn the_spliced_array_is_what_serde_writes() {
        // Empty, one, within a chunk, and across several windows.
        for n in [0, 1, 3, CHUNK * WINDOW * 2 + 7] {
            let (spliced, plain) = both(n);
            assert_eq!(spliced, plain, "{n} items");
        }
    }

    #[test]
    fn items_are_written_in_order_with_separators() {
        let items: Vec<usize> = (0..CHUNK * WINDOW + 3).collect();
        let mut out = Vec::new();
        each(&items, b",", &mut out, |i, buf| {
            buf.extend_from_slice(i.to_string().as_bytes());
            Ok(())
        })
        .unwrap();
        let want: Vec<String> = items.iter().map(usize::to_string).collect();
        assert_eq!(String::from_utf8(out).unwrap(), want.join(","));
    }
}
