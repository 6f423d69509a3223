#!/usr/bin/env python3
"""An mdBook preprocessor (docs/book.toml): a link in a page that leaves docs/, such as
`[main.rs](../../crates/tcp_server/src/main.rs)`, has nothing to open in the built book. It is
rewritten to NET_LESSONS_SOURCE_URL/PATH (the Pages workflow sets it to the repository's blob
URL for the commit it builds), or to file:///path/to/checkout/PATH for a local build."""

import json
import os
import posixpath
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"(\]\()([^)\s#]+)((?:#[^)\s]*)?\))")


def base_url():
    url = os.environ.get("NET_LESSONS_SOURCE_URL", "").rstrip("/")
    return url or ROOT.as_uri()


def rewrite(content, page):
    """`page` is the chapter's path inside docs/ (lessons/05-tcp_server.md)."""
    folder = posixpath.dirname(page)

    def fix(m):
        target = m.group(2)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("/"):
            return m.group(0)
        inside = posixpath.normpath(posixpath.join("docs", folder, target))
        if inside == "docs" or inside.startswith("docs/") or inside.startswith(".."):
            return m.group(0)
        return f"{m.group(1)}{base_url()}/{inside}{m.group(3)}"

    return LINK.sub(fix, content)


def walk(items):
    for item in items:
        chapter = item.get("Chapter") if isinstance(item, dict) else None
        if chapter:
            if chapter.get("source_path"):
                chapter["content"] = rewrite(chapter["content"], chapter["source_path"])
            walk(chapter.get("sub_items", []))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "supports":
        return 0
    _context, book = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    walk(book.get("items", book.get("sections", [])))
    sys.stdout.write(json.dumps(book))  # ASCII: \u escapes for everything else
    return 0


if __name__ == "__main__":
    sys.exit(main())
