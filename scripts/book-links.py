#!/usr/bin/env python3
"""An mdBook preprocessor (docs/book.toml) that makes the book whole when it is served:

1. A link in a page that leaves docs/, such as `[main.rs](../../crates/tcp_server/src/main.rs)`,
   has nothing to open in the built book (a `file://` link is refused by the browser). Each such
   file becomes a page of its own in a last part, 源代码 (source/crates/.../main.rs.html: the
   whole file, highlighted), and the link points there. One way for every source link, checked
   like every other link by scripts/book-check.mjs.
2. Each lesson page ends with its whole programs side by side: the notes' Python (or ours, when
   the notes give none, labelled so) beside the whole Rust file, in two columns on a wide screen
   and one after the other on a narrow one (docs/book-js/book.css).

`// ANCHOR:` lines, which only mark regions for the book's listings, are left out of whole files."""

import json
import posixpath
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"(\]\()([^)\s#]+)((?:#[^)\s]*)?\))")
ANCHOR = re.compile(r"^\s*(//|#)\s*ANCHOR(_END)?:")
LANGS = {".rs": "rust", ".py": "python", ".sh": "bash", ".toml": "toml", ".html": "html",
         ".md": "markdown", ".yml": "yaml", ".json": "json", ".mjs": "javascript",
         ".txt": "text"}

NOTES = "笔记的 Python"
OURS = "我们写的 Python（笔记没有给这段代码）"
# Each lesson page: (its title, the Python program and whose it is, the whole Rust file, or the
# files when the lesson keeps a step in a module of its own).
WHOLE = {
    "lessons/01-udp_sender.md": [
        ("001 UDP 发送数据", NOTES, "python/notes/001_udp_send.py",
         "crates/udp_sender/src/main.rs"),
    ],
    "lessons/02-udp_receiver.md": [
        ("001 UDP 网络程序的端口绑定", NOTES, "python/notes/001_udp_bind_recv.py",
         "crates/udp_receiver/src/main.rs"),
    ],
    "lessons/03-udp_chat.md": [
        ("001 案例：UDP 聊天器", NOTES, "python/notes/001_udp_chat.py",
         ["crates/udp_chat/src/main.rs", "crates/udp_chat/src/chat.rs"]),
    ],
    "lessons/04-tcp_client.md": [
        ("001 TCP 网络程序 - 客户端", NOTES, "python/notes/001_tcp_client.py",
         ["crates/tcp_client/src/main.rs", "crates/tcp_client/src/exchange.rs"]),
    ],
    "lessons/05-tcp_server.md": [
        ("000 tcp网络程序-服务器增强", NOTES, "python/notes/000_tcp_server.py",
         ["crates/tcp_server/src/main.rs", "crates/tcp_server/src/client.rs"]),
    ],
    "lessons/06-tcp_multi_server.md": [
        ("003 socketserver模块", NOTES, "python/notes/003_socketserver_server.py",
         "crates/tcp_multi_server/src/main.rs"),
    ],
    "lessons/07-file_downloader.md": [
        ("000 案例:文件下载器（服务器）", NOTES, "python/notes/000_file_server.py",
         "crates/file_downloader/src/server.rs"),
        ("000 案例:文件下载器（客户端）", NOTES, "python/notes/000_file_client.py",
         "crates/file_downloader/src/client.rs"),
    ],
    "lessons/08-sticky_packet_demo.md": [
        ("003 解决tcp协议中的粘包现象（服务器端）", NOTES,
         "python/notes/003_sticky_server.py",
         "crates/sticky_packet_demo/src/server.rs"),
        ("003 解决tcp协议中的粘包现象（客户端）", NOTES,
         "python/notes/003_sticky_client.py",
         "crates/sticky_packet_demo/src/client.rs"),
    ],
    "lessons/09-client_auth.md": [
        ("003 验证客户端的合法性（serve端）", NOTES, "python/notes/003_auth_server.py",
         "crates/client_auth/src/server.rs"),
        ("003 验证客户端的合法性（client端）", NOTES,
         "python/notes/003_auth_client.py", "crates/client_auth/src/client.rs"),
    ],
    "lessons/10-http_static.md": [
        ("004 2.3.4 查看 http 请求内容", NOTES, "python/notes/004_request_viewer.py",
         "crates/http_static/examples/request_viewer.rs"),
        ("000 伪造一个HTTP响应报文", OURS, "python/ours/000_fake_response.py",
         "crates/http_static/examples/fake_response.rs"),
        ("004 2.5 案例：主页访问（笔记只给了任务，没有代码）", None, None,
         "crates/http_static/src/main.rs"),
    ],
    "lessons/11-word_lookup.md": [
        ("004 1.5 案例：查找单词（服务端）", OURS, "python/ours/004_word_server.py",
         "crates/word_lookup/src/server.rs"),
    ],
}

# A Rust file of WHOLE shown with the files that make its program whole: the command line
# (options() and the usage text, which the lessons keep in src/usage.rs), main.rs where it is
# main.rs that reads the command line and calls the file, and a module that holds some of the
# notes' steps (tcp_multi_server's myserver.rs). Each list replaces the file, in this order.
WITH = {
    "crates/udp_sender/src/main.rs": ["crates/udp_sender/src/main.rs",
                                      "crates/udp_sender/src/usage.rs"],
    "crates/udp_receiver/src/main.rs": ["crates/udp_receiver/src/main.rs",
                                        "crates/udp_receiver/src/usage.rs"],
    "crates/udp_chat/src/main.rs": ["crates/udp_chat/src/main.rs", "crates/udp_chat/src/usage.rs"],
    "crates/tcp_client/src/main.rs": ["crates/tcp_client/src/main.rs",
                                      "crates/tcp_client/src/usage.rs"],
    "crates/tcp_server/src/main.rs": ["crates/tcp_server/src/main.rs",
                                      "crates/tcp_server/src/usage.rs"],
    "crates/tcp_multi_server/src/main.rs": ["crates/tcp_multi_server/src/main.rs",
                                            "crates/tcp_multi_server/src/usage.rs",
                                            "crates/tcp_multi_server/src/myserver.rs"],
    "crates/client_auth/src/server.rs": ["crates/client_auth/src/main.rs",
                                         "crates/client_auth/src/usage.rs",
                                         "crates/client_auth/src/server.rs"],
    "crates/sticky_packet_demo/src/server.rs": ["crates/sticky_packet_demo/src/main.rs",
                                                "crates/sticky_packet_demo/src/usage.rs",
                                                "crates/sticky_packet_demo/src/server.rs"],
    "crates/http_static/src/main.rs": ["crates/http_static/src/main.rs",
                                       "crates/http_static/src/serve.rs",
                                       "crates/http_static/src/usage.rs"],
    "crates/word_lookup/src/server.rs": ["crates/word_lookup/src/main.rs",
                                         "crates/word_lookup/src/usage.rs",
                                         "crates/word_lookup/src/server.rs"],
}


def read_whole(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not ANCHOR.match(line))


def fenced(path):
    """A file as a fenced code block (a longer fence when the file holds one itself)."""
    text = read_whole(path)
    fence = "```"
    while fence in text:
        fence += "`"
    lang = LANGS.get(posixpath.splitext(path)[1], "text")
    return f"{fence}{lang}\n{text}\n{fence}"


def source_page(path):
    """The book path of the page that shows the repository file `path`."""
    return f"source/{path}.md"


def rewrite(content, page, wanted):
    """`page` is the chapter's path inside docs/ (lessons/05-tcp_server.md). Links to files
    outside docs/ point at their source pages; each such file is added to `wanted`."""
    folder = posixpath.dirname(page)

    def fix(m):
        target = m.group(2)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("/"):
            return m.group(0)
        inside = posixpath.normpath(posixpath.join("docs", folder, target))
        if inside == "docs" or inside.startswith("docs/") or inside.startswith(".."):
            return m.group(0)
        if not (ROOT / inside).is_file():
            return m.group(0)  # a folder: left as it is (scripts/book-check.mjs reports it)
        wanted.add(inside)
        link = posixpath.relpath(source_page(inside), folder or ".")
        return f"{m.group(1)}{link})"

    return LINK.sub(fix, content)


def rust_files(rust):
    """The Rust files shown for one program of WHOLE, with those WITH adds."""
    return [shown for path in ([rust] if isinstance(rust, str) else rust)
            for shown in WITH.get(path, [path])]


def whole_programs(page, wanted):
    parts = ["", "## 完整的程序，并排", "",
             "上面的表格和代码片段取自下面这些完整的文件（宽屏上左右并排，窄屏上前后排列）。", ""]
    for title, whose, python, rust in WHOLE[page]:
        parts += [f"### {title}", "", '<div class="side-by-side">', "<div>", ""]
        if python:
            wanted.add(python)
            parts += [f"**{whose}**：`{posixpath.basename(python)}`", "", fenced(python), ""]
        else:
            parts += ["**笔记**：只有任务，没有代码。", ""]
        parts += ["</div>", "<div>", ""]
        for path in rust_files(rust):
            wanted.add(path)
            parts += [f"**Rust**：`{path}`", "", fenced(path), ""]
        parts += ["</div>", "</div>", ""]
    return "\n".join(parts)


def chapters(items):
    for item in items:
        chapter = item.get("Chapter") if isinstance(item, dict) else None
        if chapter:
            yield chapter
            yield from chapters(chapter.get("sub_items", []))


def source_chapters(wanted):
    pages = []
    for path in sorted(wanted):
        pages.append({"Chapter": {
            "name": path,
            "content": f"# {path}\n\n{fenced(path)}\n",
            "number": None,
            "sub_items": [],
            "path": source_page(path),
            "source_path": None,
            "parent_names": ["源代码"],
        }})
    return pages


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "supports":
        return 0
    _context, book = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    listed = {path for programs in WHOLE.values() for *_, rust in programs
              for path in ([rust] if isinstance(rust, str) else rust)}
    for path in sorted(set(WITH) - listed):
        print(f"book-links: WITH names {path}, which no program of WHOLE shows", file=sys.stderr)
        return 1
    key = "items" if "items" in book else "sections"
    wanted = set()
    for chapter in chapters(book.get(key, [])):
        page = chapter.get("source_path")
        if not page:
            continue
        if page in WHOLE:
            chapter["content"] += "\n" + whole_programs(page, wanted)
        chapter["content"] = rewrite(chapter["content"], page, wanted)
    if wanted:
        book[key].append({"PartTitle": "源代码"})
        book[key].extend(source_chapters(wanted))
    sys.stdout.write(json.dumps(book))  # ASCII: \u escapes for everything else
    return 0


if __name__ == "__main__":
    sys.exit(main())
