#!/usr/bin/env python3
"""Checks that docs/ still tells the truth. Run it through scripts/check-docs.sh.

1. Every section of the five notes files is mapped in docs/README.md (a table row whose first
   cell is the file's number, 000 to 004, and whose second cell is the section's heading), and
   every relative link in docs/ leads to a file that exists.
2. Every lesson page docs/lessons/NN-<crate>.md has its parts: the notes sections, a step table,
   a mermaid sequenceDiagram, a checked real-output block, the "what this lesson adds to the notes" section, and at
   least three exercises, each saying how to check it.
3. Every step-table row names a region of the code, `[f.rs#NAME](#rs-F-NAME)`: the page shows it
   under `<a id="rs-F-NAME"></a>` with `{{#include ../../crates/X/src/f.rs:NAME}}`, the file has
   the lines `// ANCHOR: NAME` and `// ANCHOR_END: NAME` (mdBook's markers), and the code the
   next cell quotes lies between them. Every `{{#include}}` in docs/ names a file and region
   that exist. Code can move freely: nothing holds a line number; a row that still links to
   code by line numbers fails (name a region by hand instead). Every anchor line in crates/
   stands between whole statements (see anchors_between_statements()): a region is shown alone,
   and a cut statement reads as broken code.
3b. In each lesson's src/, the notes' numbered steps (`// 2. 绑定地址 (bind)`) come in order,
   each once (see STEP_RULE for files with two programs, or a helper holding its caller's steps).
4. Every block marked `<!-- check: ... -->` is run against freshly built binaries on 127.0.0.1,
   on free ports, and its output must be the one the page shows. See run_blocks() for the rules.

Needs python3 (3.8+), cargo and bash; curl, strace, tcpdump and root only for the blocks that say
`requires=`, which are skipped (and listed) when those are missing.
"""

import argparse
import difflib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
NOTES_DIR = Path(os.environ.get("NET_LESSONS_NOTES", ROOT.parent / "shared" / "notes"))

LESSONS = [
    "udp_sender", "udp_receiver", "udp_chat", "tcp_client", "tcp_server",
    "tcp_multi_server", "file_downloader", "sticky_packet_demo", "client_auth", "http_static",
    "word_lookup",
]

# Everything the checked commands may take together, build excluded (about 130 s here, with every
# lesson page's answers and wiretap runs; the rest is room for a slower machine).
RUN_BUDGET_SECS = 300
# One foreground command at most this long unless its block says timeout=S.
COMMAND_TIMEOUT_SECS = 15
# A background server must print its `listening on` line within this.
READY_TIMEOUT_SECS = 10
BUILD_TIMEOUT_SECS = 900

# The notes' sections, as check 1 extracts them (file, heading). Kept here so that the check also
# runs where the notes are not (CI); where they are, the extraction must still give this list.
NOTES_SECTIONS = {
    "000": [
        "网络通信-UDP/TCP", "tcp简介", "tcp网络程序-客户端", "tcp网络程序-服务器",
        "tcp网络程序-服务器增强", "案例:文件下载器（一）", "案例:文件下载器（二）", "tcp的3次握手",
        "tcp的4次挥手", "IP地址和域名", "DNS及浏览器请求服务器的过程", "HTTP协议概述",
        "HTTP协议格式查看", "HTTP请求报文格式", "HTTP响应报文格式", "长连接和短连接",
    ],
    "001": [
        "网络编程", "网络程序 - UDP", "网络编程简介", "IP 地址", "端口", "socket 简介",
        "UDP 网络程序 - 发送/接收数据", "UDP 网络程序的端口绑定", "案例：UDP 聊天器",
        "网络程序 - TCP", "TCP 简介", "网络协议 - TCP", "TCP 的特点", "TCP 与 UDP 的区别",
        "TCP 通信模型", "TCP 网络程序 - 客户端", "TCP 客户端构建流程", "TCP 网络程序 - 服务器",
        "将服务器程序类比成生活中的电话机", "TCP 服务器代码构建", "TCP 网络程序开发的注意实现",
        "案例：文件下载器", "服务器参考代码如下", "客户端参考代码如下",
    ],
    "002": [
        "TCP/UDP", "网络的目的:", "IP地址:", "ping:", "ifconfig:", "端口:", "知名端口:", "动态端口:",
        "socket:", "套接字使用:", "bytes 类型和str类型的相互转化:", "在windows的调试助手:",
        "UDP服务器:", "UDP客户端:", "UDP服务端:", "UDP简单聊天案例:", "UDP发送飞秋消息", "正向工程",
        "逆向工作", "TCP:", "TCP是面向连接:", "TCP 数据传输:", "TCP与UDP的不同点:", "TCP客户端:",
        "TCP服务端:", "TCP下载文件案例:", "文件下载客户端:", "文件下载服务器:", "三次握手:",
        "四次挥手:",
    ],
    "003": [
        "网络编程", "part1:", "网络编程基础", "osi五（七）层协议", "osi五层协议", "tcp和udp",
        "最简单的网络通信(基于tcp协议)", "prat2:", "tcp协议", "利用tcp协议和多个客户端进行通信",
        "struct模块", "黏包现象只发生在tcp协议中：", "解决tcp协议中的粘包现象",
        "解决粘包的本质：设置边界（发送多少个接受多少个）", "udp协议", "part3:", "验证客户端的合法性",
        "socketserver模块--针对并发编程",
    ],
    "004": [
        "1. UDP套接字编程", "1.1 UDP服务端编程", "1.1.1 UDP 服务端套接字编程流程",
        "1.1.2 UDP 套接字函数", "1.1.3 UDP 服务端编程", "1.2 UDP 客户端编程",
        "1.2.1 UDP 客户端套接字编程流程", "1.2.2 UDP 客户端编码", "1.3 UDP 客户端 和 服务端流程",
        "1.4 UDP 套接字特点", "1.5 案例：查找单词", "1.6 TCP 和 UDP 编程对比", "2. HTTP 协议",
        "2.1 HTTP 协议简介", "2.2 HTTP 协议特点", "2.3 HTTP 请求 Request", "2.3.1 HTTP 请求格式",
        "2.3.2 请求行和请求类型", "2.3.3 请求头", "2.3.4 请求体", "2.4 HTTP 响应",
        "2.4.1 HTTP 响应格式", "2.4.2 HTTP 响应行和响应码", "2.4.3 HTTP 常见响应码", "1xx: 信息",
        "2xx: 成功", "3xx: 重定向", "4xx: 客户端错误", "5xx: 服务器错误", "2.4.4 响应头",
        "2.4.5 响应体", "2.5 案例： 主页访问",
    ],
}

problems = []
# --show: print what every command printed (raw), to copy a real run into a page.
SHOW = False


def problem(where, what):
    problems.append(f"{where}: {what}")
    print(f"  FAIL {where}: {what}", flush=True)


def rel(path):
    return os.path.relpath(path, ROOT)


def norm_heading(text):
    """`## *tcp网络程序-客户端 &` → `tcp网络程序-客户端`: the author's * and & markers go."""
    text = text.strip().strip("`").strip()
    text = re.sub(r"^\*+\s*", "", text)
    text = re.sub(r"\s*&\s*$", "", text)
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- 1. the notes are mapped

PY_STARTS = ("def ", "while ", "if ", "else", "elif ", "try", "except", "for ", "with ",
             "class ", "import ", "return")
NOTES_002_EXTRA = ("TCP/UDP", "UDP发送飞秋消息", "正向工程", "逆向工作")


def extract_sections(path):
    """The headings of one notes file: markdown headings outside code fences; for 002, which
    has none, its topic lines (a short line ending in a colon that is not Python)."""
    number = path.name[:3]
    found = []
    fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if s.startswith("```"):
            fence = not fence
            continue
        if fence:
            continue
        if number == "002":
            extra = [e for e in NOTES_002_EXTRA if s.startswith(e)]
            if extra:
                found.append(extra[0])
            elif (re.search(r"[:：]$", s) and not s.startswith(PY_STARTS)
                  and not re.search(r"[(=#\"]", s) and not s[:1].isdigit()):
                found.append(norm_heading(s))
        else:
            m = re.match(r"^#{1,6}\s+(.*\S)\s*$", line)
            if m:
                found.append(norm_heading(m.group(1)))
    return found


def table_rows(text):
    """(line number, cells) of every markdown table row; `\\|` stays inside a cell."""
    rows = []
    for no, line in enumerate(text.splitlines(), 1):
        if not line.lstrip().startswith("|"):
            continue
        cells = [c.replace("\\|", "|").strip()
                 for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if cells and not all(re.fullmatch(r":?-+:?", c) for c in cells):
            rows.append((no, cells))
    return rows


def check_notes_mapped():
    print("== 1. every section of the notes is mapped in docs/README.md", flush=True)
    sections = NOTES_SECTIONS
    if NOTES_DIR.is_dir():
        for number, expected in NOTES_SECTIONS.items():
            files = sorted(NOTES_DIR.glob(f"{number}_*.txt"))
            if not files:
                problem(str(NOTES_DIR), f"no notes file {number}_*.txt")
                continue
            got = extract_sections(files[0])
            if got != expected:
                problem(str(files[0]),
                        f"its sections changed; update NOTES_SECTIONS in scripts/check_docs.py:\n"
                        f"    now:  {got}\n    list: {expected}")
    else:
        print(f"  (notes not found at {NOTES_DIR}: using the list kept in this script)")
    readme = DOCS / "README.md"
    if not readme.exists():
        problem("docs/README.md", "missing")
        return
    text = readme.read_text(encoding="utf-8")
    mapped = {}
    for no, cells in table_rows(text):
        if len(cells) >= 3 and re.match(r"^\d{3}\b", cells[0]):
            targets = re.findall(r"\]\(((?:lessons|concepts)/[^)#]+)", " ".join(cells[2:]))
            if not targets:
                problem(f"docs/README.md:{no}", "a notes row with no link to a lesson or concept page")
            mapped.setdefault((cells[0][:3], norm_heading(cells[1])), []).append(no)
    total = 0
    for number, headings in sections.items():
        for heading in headings:
            total += 1
            if (number, norm_heading(heading)) not in mapped:
                problem("docs/README.md", f"notes {number} section {heading!r} is not mapped "
                                          f"(add a row `| {number} | {heading} | [page](...) |`)")
    print(f"  {total} sections checked")


def check_inventory():
    """The table of the notes' programs in docs/README.md: every twin's crate and example exist,
    and every interop test it names (`crate::test_name`) is a test function of that crate."""
    print("== the notes' programs: every twin and every named interop test exists", flush=True)
    text = (DOCS / "README.md").read_text(encoding="utf-8")
    count = 0
    for no, cells in table_rows(text):
        if len(cells) != 6 or not re.match(r"^\d{3}$", cells[0]):
            continue
        count += 1
        where = f"docs/README.md:{no}"
        for crate in re.findall(r"cargo run -p (\w+)", cells[3]):
            if not (ROOT / "crates" / crate / "Cargo.toml").exists():
                problem(where, f"no crate {crate}")
            for example in re.findall(r"--example (\w+)", cells[3]):
                if not (ROOT / "crates" / crate / "examples" / f"{example}.rs").exists():
                    problem(where, f"no example {example} in crates/{crate}/examples")
        tests = re.findall(r"`(\w+)::(\w+)`", cells[4])
        if not tests and not cells[4].startswith("—"):
            problem(where, "names no interop test (`crate::test_name`), nor says why not (—)")
        for crate, test in tests:
            sources = list((ROOT / "crates" / crate).glob("tests/**/*.rs"))
            sources += list((ROOT / "crates" / crate).glob("src/**/*.rs"))
            if not any(re.search(rf"#\[test\]\s*(#\[[^\]]*\]\s*)*fn {test}\(",
                                 f.read_text(encoding="utf-8")) for f in sources):
                problem(where, f"no test fn {test} in crates/{crate}")
    if count == 0:
        problem("docs/README.md", "no table of the notes' programs")
    print(f"  {count} programs checked")


def check_links():
    print("== links in docs/ and the READMEs lead to files that exist", flush=True)
    for page in sorted(DOCS.rglob("*.md")) + sorted(ROOT.glob("README*.md")):
        base = page.parent
        text = page.read_text(encoding="utf-8")
        for no, line in enumerate(text.splitlines(), 1):
            for target in re.findall(r"\]\(([^)\s]+)\)", line):
                if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                    continue
                path = (base / target.split("#")[0]).resolve()
                if not path.exists():
                    problem(f"{rel(page)}:{no}", f"link to {target}: no such file")


# ---------------------------------------------------------------- 2. lesson pages have their parts

def lesson_pages():
    return [(DOCS / "lessons" / f"{i:02d}-{crate}.md", crate) for i, crate in enumerate(LESSONS, 1)]


def check_lesson_pages():
    print("== 2. every lesson page has its parts", flush=True)
    for page, crate in lesson_pages():
        where = rel(page)
        if not page.exists():
            problem(where, "missing")
            continue
        text = page.read_text(encoding="utf-8")
        if not re.search(r"```mermaid\s*\n\s*sequenceDiagram", text):
            problem(where, "no ```mermaid sequenceDiagram")
        steps = [r for r in table_rows(text) if any(STEP_REF.search(c) for c in r[1])]
        if len(steps) < 3:
            problem(where, f"the step table has {len(steps)} rows naming code regions (want 3 or more)")
        if not re.search(r"^## 对应的笔记", text, re.M):
            problem(where, "no section `## 对应的笔记`")
        if not re.search(r"^## 这一课比笔记多做了什么，为什么", text, re.M):
            problem(where, "no section `## 这一课比笔记多做了什么，为什么`")
        if not re.search(r"<!-- check:[^>]*-->\s*\n```", text):
            problem(where, "no checked real-output block (`<!-- check: ... -->` before a block)")
        exercises = re.split(r"^### 练习 ", text, flags=re.M)[1:]
        if len(exercises) < 3:
            problem(where, f"{len(exercises)} exercises (`### 练习 N`), want 3 or more")
        for n, body in enumerate(exercises, 1):
            body = re.split(r"^##? ", body, flags=re.M)[0]
            if "怎么检查" not in body:
                problem(where, f"exercise {n} does not say how to check it (`怎么检查`)")
        if crate not in text.split("\n", 1)[0]:
            problem(where, f"the title does not name the crate {crate}")


# ---------------------------------------------------------------- 3. step tables name regions of the code

# A step table's link to the code: `[f.rs#NAME](#rs-F-NAME)`, to the listing further down the
# page: `<a id="rs-F-NAME"></a>`, then `{{#include ../../crates/X/src/f.rs:NAME}}`.
STEP_REF = re.compile(r"\[(?P<file>[\w.-]+)#(?P<name>[\w-]+)\]\(#(?P<anchor>rs-[\w-]+)\)")
LISTING = re.compile(r'<a id="(?P<anchor>rs-[\w-]+)"></a>(?P<between>(?:(?!<a id=)[\s\S]){0,600}?)'
                     r"\{\{#include\s+(?:\.\./)+(?P<path>crates/[^\s:}]+):(?P<name>[\w-]+)\s*\}\}")
# The old form, by line numbers, which broke whenever code moved: refused.
STEP_LINE_LINK = re.compile(r"\]\((?:\.\./)+crates/[^)#\s]+#L\d+")
INCLUDE = re.compile(r"\{\{#include\s+(?P<target>[^\s}]+)\s*\}\}")
ANCHOR = re.compile(r"\b(?P<end>ANCHOR_END|ANCHOR):\s*(?P<name>[\w-]+)")


# Reading Rust sources: what is code, what is a literal, what is a comment.
RAW_STRING = re.compile(r'b?r(#*)"')
CHAR_LITERAL = re.compile(r"'(?:\\(?:u\{[0-9a-fA-F]{1,6}\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'")


def rust_lines(text):
    """Each line of a Rust source as (code, comment): `code` is the line with comments taken out
    and the insides of string and char literals blanked (their quotes kept), so that brackets and
    `;` can be counted; `comment` is the line's `//` comment ("" if none; `///` and `//!` ones
    keep their marker)."""
    code, comments = [[]], [""]
    i, n, block = 0, len(text), 0
    while i < n:
        c = text[i]
        if c == "\n":
            code.append([])
            comments.append("")
            i += 1
        elif block:
            if text.startswith("*/", i):
                block, i = block - 1, i + 2
            elif text.startswith("/*", i):
                block, i = block + 1, i + 2
            else:
                i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            comments[-1] = text[i:end]
            i = end
        elif text.startswith("/*", i):
            block, i = 1, i + 2
        elif (c in "br" and (raw := RAW_STRING.match(text, i))
              and not (i and re.match(r"\w", text[i - 1]))):
            close = '"' + raw.group(1)
            end = text.find(close, raw.end())
            end = n if end < 0 else end
            code[-1].append('"')
            for _ in range(text.count("\n", raw.end(), end)):
                code.append([])
                comments.append("")
            code[-1].append('"')
            i = end + len(close)
        elif c == '"':
            code[-1].append('"')
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\\":
                    i += 1
                if i < n and text[i] == "\n":
                    code.append([])
                    comments.append("")
                i += 1
            code[-1].append('"')
            i += 1
        elif c == "'" and (char := CHAR_LITERAL.match(text, i)):
            code[-1].append("''")
            i = char.end()
        else:
            code[-1].append(c)  # a lifetime's `'` too
            i += 1
    return [("".join(c), m) for c, m in zip(code, comments)]


def _balance(code):
    return sum(code.count(c) for c in "{([") - sum(code.count(c) for c in "})]")


# An anchor line: `// ANCHOR: name` or `// ANCHOR_END: name`, alone on its line.
ANCHOR_LINE = re.compile(r"^\s*// (?:ANCHOR|ANCHOR_END): [\w-]+\s*$")
# A line that goes on with the expression of the line above it.
CONTINUES = re.compile(r"^(?:\.|\?|=|!=|<=|>|&&|\||\+|-|/|%|\^|as\b|else\b)")
# What the last line before an anchor may end with: a statement, an item, an opened or closed
# block, an element of a list or a match arm.
ENDS = (";", "{", "}", ",")


def anchors_between_statements(path):
    """Every anchor line of `path` stands between whole statements, the only place where a region
    shown alone reads as the code it is. Refused: an anchor indented deeper than the code around
    it (rustfmt moves a comment that ended a line of code, `f()?; // ANCHOR_END: x`, to the right,
    onto a line of its own), one right after a line that does not end a statement, an item or a
    block (`let x = f(a)` then `.map_err(...)`), and one right before a line that continues the
    expression above it (starting with `.`, `?`, `=>`, `else` or a binary operator)."""
    text = path.read_text(encoding="utf-8")
    raw = text.split("\n")
    lines = rust_lines(text)

    def code_line(no, step):
        """The nearest line from `no` on, going by `step`, that holds code (not an anchor)."""
        while 1 <= no <= len(lines):
            if lines[no - 1][0].strip():
                return no
            no += step
        return None

    count = 0
    for no, line in enumerate(raw, 1):
        if not ANCHOR_LINE.match(line) or lines[no - 1][1].strip() != line.strip():
            continue  # not an anchor line, or one inside a string literal
        count += 1
        where = f"{rel(path)}:{no}"
        indent = len(line) - len(line.lstrip())
        before, after = code_line(no - 1, -1), code_line(no + 1, 1)
        around = [len(raw[x - 1]) - len(raw[x - 1].lstrip()) for x in (before, after) if x]
        prev = lines[before - 1][0].rstrip() if before else ""
        nxt = lines[after - 1][0].strip() if after else ""
        if around and indent > max(around):
            problem(where, f"`{line.strip()}` is indented deeper than the code around it: rustfmt "
                           "moved it there from the end of a line of code; put it on its own line "
                           "between two whole statements")
        elif before and not prev.endswith(ENDS) and not nxt.startswith(("}", ")", "]")):
            problem(where, f"`{line.strip()}` comes right after line {before}, which does not end "
                           "a statement: the region would cut it; move the anchor past its "
                           "`;` or `}`")
        elif after and CONTINUES.match(nxt):
            problem(where, f"`{line.strip()}` comes right before line {after}, which continues the "
                           "expression above it: the region would cut it; move the anchor to a "
                           "whole statement's end")
    return count


def comments_pushed_right(path):
    """A comment that starts a line right below a line of code ending in a trailing comment is
    taken by rustfmt for that comment's continuation and aligned under it, far to the right,
    where it reads as part of the line above. Returns how many such lines `path` has."""
    raw = path.read_text(encoding="utf-8").split("\n")
    count = 0
    for no in range(2, len(raw) + 1):
        line, above = raw[no - 1], raw[no - 2]
        indent = len(line) - len(line.lstrip())
        above_indent = len(above) - len(above.lstrip())
        if (line.lstrip().startswith("//") and "//" in above
                and not above.lstrip().startswith("//") and indent >= above_indent + 16):
            count += 1
            problem(f"{rel(path)}:{no}", "a comment rustfmt aligned under the trailing comment "
                                         "above it: put a blank line between them")
    return count


def check_anchor_lines():
    print("== 3. every anchor in crates/ stands between whole statements", flush=True)
    files = anchors = pushed = 0
    for path in sorted(ROOT.glob("crates/**/*.rs")):
        if "target" in path.relative_to(ROOT).parts:
            continue
        found = anchors_between_statements(path)
        files += bool(found)
        anchors += found
        pushed += comments_pushed_right(path)
    print(f"  {anchors} anchor lines in {files} files checked; {pushed} comments pushed right")


def regions(path, where):
    """The named regions of a source file: {name: (first line, last line)} of the lines between
    `// ANCHOR: name` and `// ANCHOR_END: name` (mdBook's markers; regions may nest or overlap)."""
    found, open_at = {}, {}
    for no, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        m = ANCHOR.search(line)
        if not m:
            continue
        name = m.group("name")
        if line.strip() != f"// {m.group('end')}: {name}":
            problem(f"{rel(path)}:{no}", f"an anchor line must be alone on its line: `// ANCHOR: {name}`")
        if m.group("end") == "ANCHOR":
            if name in open_at or name in found:
                problem(f"{rel(path)}:{no}", f"region {name} opens twice")
            open_at[name] = no
        elif name not in open_at:
            problem(f"{rel(path)}:{no}", f"region {name} closes but never opened")
        else:
            found[name] = (open_at.pop(name) + 1, no - 1)
    for name, no in open_at.items():
        problem(f"{rel(path)}:{no}", f"region {name} never closes ({where})")
    # A region holds whole statements: it neither ends inside an open `match x {` or call, nor
    # starts inside one (the book shows it alone, so a cut statement reads as broken code).
    code = [c for c, _ in rust_lines(path.read_text(encoding="utf-8"))]
    for name, (a, b) in found.items():
        depth = low = 0
        for no in range(a, b + 1):
            depth += _balance(code[no - 1])
            low = min(low, depth)
        if depth != 0 or low < 0:
            problem(f"{rel(path)}:{a - 1}",
                    f"region {name} cuts a statement (its brackets do not balance): move its "
                    "ANCHOR lines to whole statements")
    return found


_regions = {}


def squash(s):
    return re.sub(r"\s+", " ", s).strip()


def regions_of(path, where):
    if path not in _regions:
        _regions[path] = regions(path, where)
    return _regions[path]


def check_step_tables():
    print("== 3. step tables and listings name regions of the code that exist", flush=True)
    rows_checked = includes = 0
    for page in sorted(DOCS.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for no, line in enumerate(text.split("\n"), 1):
            for m in INCLUDE.finditer(line):
                includes += 1
                where = f"{rel(page)}:{no}"
                target = m.group("target")
                file_part, _, name = target.partition(":")
                source = (page.parent / file_part).resolve()
                if not source.is_file():
                    problem(where, f"{{{{#include {target}}}}}: no such file")
                    continue
                if name and not name.isdigit() and ".." not in name:
                    if name not in regions_of(source, where):
                        problem(where, f"{{{{#include {target}}}}}: {rel(source)} has no region {name} "
                                       f"(`// ANCHOR: {name}` ... `// ANCHOR_END: {name}`)")
            if STEP_LINE_LINK.search(line):
                problem(f"{rel(page)}:{no}",
                        "a link to code by line number, which breaks when the code moves: mark the "
                        "lines in the source with `// ANCHOR: NAME` ... `// ANCHOR_END: NAME` "
                        "(whole statements), show them with a listing and link `[f.rs#NAME](#rs-f-NAME)`")
        listings = {m.group("anchor"): (m.group("path"), m.group("name"))
                    for m in LISTING.finditer(text)}
        for no, cells in table_rows(text):
            for ci, cell in enumerate(cells):
                m = STEP_REF.search(cell)
                if not m:
                    continue
                rows_checked += 1
                where = f"{rel(page)}:{no}"
                anchor, name = m.group("anchor"), m.group("name")
                if anchor not in listings:
                    problem(where, f'no listing `<a id="{anchor}"></a>` + `{{{{#include ...:{name}}}}}` on the page')
                    continue
                path, shown = listings[anchor]
                if shown != name or Path(path).name != m.group("file"):
                    problem(where, f"links to {m.group('file')}#{name}, but #{anchor} shows {path}:{shown}")
                    continue
                source = ROOT / path
                if not source.is_file():
                    continue  # reported with the include
                found = regions_of(source, where)
                if name not in found:
                    continue  # reported with the include
                # The code the next cell quotes is inside the region.
                code = cells[ci + 1] if ci + 1 < len(cells) else ""
                snippets = [squash(s) for s in re.findall(r"`([^`]+)`", code)]
                first, last = found[name]
                lines = [squash(x) for x in source.read_text(encoding="utf-8").split("\n")[first - 1:last]]
                for snippet in snippets:
                    if not any(snippet in x for x in lines):
                        problem(where, f"region {name} of {path} does not hold `{snippet}`")
    print(f"  {rows_checked} step-table rows, {includes} includes checked")


# ---------------------------------------------------------------- 3b. the notes' steps in order

# A numbered step: a comment that starts `// N. ` (`// 2. 绑定地址 (bind)`); one may name more
# (`// 2. 创建TCP socket, 3. 绑定IP和端口号`, `...; then 3. sk.recv(length)`).
STEP_COMMENT = re.compile(r"^//\s*(\d+)\.\s")
MORE_STEPS = re.compile(r"(?:[,;]|\bthen|\band)\s+(\d+)\.\s")
FN_START = re.compile(r"\bfn\s+([A-Za-z_]\w*)")
NOT_LESSONS = ("netcommon", "xtask", "lesson_testing")
STEP_RULE = ("in one function the step numbers go up; a function whose first step is 1 starts a "
             "new numbering (another program in the same file); any other function goes on with "
             "the numbering above it, and starts at a higher step than the function before it "
             "(a helper called at step 3 may hold steps 4 to 7 below its caller); no number "
             "twice in one numbering")


def step_units(path):
    """The numbered steps of a source file by function, in the file's order:
    [(unit, [(line, step), ...])]; a unit is a function (`fn name`, methods included, with what
    is nested in it) or the lines between functions (`top level`: the imports' step 1)."""
    units = []
    depth, state, base = 0, "out", 0
    for no, (code, comment) in enumerate(rust_lines(path.read_text(encoding="utf-8")), 1):
        if state == "out":
            m = FN_START.search(code)
            if m:
                units.append((f"fn {m.group(1)}", []))
                state, base = "signature", depth
            elif not units or units[-1][0] != "top level":
                units.append(("top level", []))
        m = STEP_COMMENT.match(comment)
        if m and not comment.startswith(("///", "//!")):
            steps = [m.group(1)] + MORE_STEPS.findall(comment[m.end():])
            units[-1][1].extend((no, int(n)) for n in steps)
        for ch in code:
            if ch == "{":
                depth += 1
                if state == "signature" and depth == base + 1:
                    state = "body"
            elif ch == "}":
                depth -= 1
                if state == "body" and depth == base:
                    state = "out"
            elif ch == ";" and state == "signature" and depth == base:
                state = "out"  # a declaration with no body
    return [(unit, steps) for unit, steps in units if steps]


def check_step_order():
    """Each lesson's source names the notes' steps in comments (`// 2. 绑定地址 (bind)`), and a
    reader holding the notes follows them in order: see STEP_RULE for what "in order" means when
    a file holds two programs or a helper holds steps of its caller."""
    print("== 3b. the notes' numbered steps come in order in each lesson's source", flush=True)
    files = steps_seen = 0
    before = len(problems)
    for path in sorted(ROOT.glob("crates/*/src/**/*.rs")):
        if path.relative_to(ROOT).parts[1] in NOT_LESSONS:
            continue
        units = step_units(path)
        files += bool(units)
        seen, previous = None, None
        for unit, steps in units:
            steps_seen += len(steps)
            for (a, m), (b, n) in zip(steps, steps[1:]):
                if n < m:
                    problem(f"{rel(path)}:{b}", f"step {n} comes after step {m} (line {a}) in {unit}")
            first = steps[0][1]
            if seen is None or first == 1:
                seen = {}
            elif first <= previous[1]:
                problem(f"{rel(path)}:{steps[0][0]}",
                        f"{unit} starts at step {first}, but {previous[0]} above it at step "
                        f"{previous[1]}")
            for no, n in steps:
                if n in seen:
                    problem(f"{rel(path)}:{no}", f"step {n} again (first at line {seen[n]})")
                seen.setdefault(n, no)
            previous = (unit, first)
    if len(problems) > before:
        print(f"  the rule: {STEP_RULE}")
    print(f"  {steps_seen} steps in {files} files checked")


# ---------------------------------------------------------------- 4. the shown commands are real

# `<!-- check: OPTIONS -->`, or `<!-- check -->` with no options: a marker is never passed over.
CHECK_COMMENT = re.compile(r"^<!-- check(?::(?P<opts>[^>]*))?\s*-->\s*$")


class Block:
    def __init__(self, page, line, opts, body):
        self.page, self.line, self.body = page, line, body
        self.opts = {}
        for word in opts.split():
            key, _, value = word.partition("=")
            self.opts[key] = value or True
        self.session = f"{rel(page)}:{line}:{self.opts.get('session', line)}"
        self.commands = []  # (command, expected output lines)
        for text in body:
            if text.startswith("$ "):
                self.commands.append([text[2:], []])
            elif self.commands:
                self.commands[-1][1].append(text)

    @property
    def where(self):
        return f"{rel(self.page)}:{self.line}"


def parse_blocks():
    blocks = []
    for page in sorted(DOCS.rglob("*.md")):
        lines = page.read_text(encoding="utf-8").split("\n")
        i = 0
        while i < len(lines):
            m = CHECK_COMMENT.match(lines[i].strip())
            if not m:
                i += 1
                continue
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j >= len(lines) or not lines[j].startswith("```"):
                problem(f"{rel(page)}:{i + 1}", "a check comment not followed by a ``` block")
                i += 1
                continue
            k = j + 1
            while k < len(lines) and not lines[k].startswith("```"):
                k += 1
            block = Block(page, j + 1, m.group("opts") or "", lines[j + 1:k])
            if not block.commands:
                problem(block.where, "a checked block with no `$ command` line")
            else:
                blocks.append(block)
            i = k + 1
    return blocks


def free_port(taken):
    """A port free for both TCP and UDP on 127.0.0.1 (what the system gives for port 0)."""
    for _ in range(50):
        with socket.socket() as t:
            t.bind(("127.0.0.1", 0))
            port = t.getsockname()[1]
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                    u.bind(("127.0.0.1", port))
            except OSError:
                continue
        if port not in taken:
            taken.add(port)
            return port
    raise RuntimeError("no free port")


ADDR = r"(?:127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\]|\[::\])"


def normalise(lines, numbers=False):
    """What may differ between the page and a run: ports (each distinct one becomes <P1>, <P2>...
    in order of first appearance, so "the same port" and "another port" still show), times,
    rates, HTTP dates, and with match=numbers every number."""
    ports = {}

    def port(m):
        label = ports.setdefault(m.group(2), f"<P{len(ports) + 1}>")
        return f"{m.group(1)}{m.group(0)[len(m.group(1))]}{label}"

    out = []
    for line in lines:
        line = re.sub(rf"({ADDR})[:.](\d{{2,5}})\b", port, line.rstrip())
        line = re.sub(r"(?<=\S)[ \t]{2,}", " ", line)  # column alignment (ss, strace) varies
        line = re.sub(r"\b\d+(?:\.\d+)? (s|ms|MiB/s)\b", r"<n> \1", line)
        line = re.sub(r"^([<>] )?(Date|Last-Modified): .*", r"\1\2: <date>", line)
        line = line.replace(str(ROOT), "/path/to/net-lessons")
        line = re.sub(r"(?:/[^\s/]+)*/check-docs-[^/\s]+", "/tmp", line)
        if numbers:
            line = re.sub(r"\d+", "N", line)
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


class Runner:
    def __init__(self, target_dir, deadline):
        self.target = target_dir
        self.deadline = deadline
        self.skipped = []
        self.ran = 0

    def translate(self, command, ports, tmp):
        def cargo(m):
            pkg, example = m.group(1), m.group(2)
            exe = (self.target / "debug" / "examples" / example if example
                   else self.target / "debug" / pkg)
            return str(exe)

        # `/tmp/` first, and only where a page wrote it (not inside a path): the binaries' own
        # paths, put in next, may lie under /tmp themselves (a clone in /tmp).
        command = re.sub(r"(?<![\w./-])/tmp/", lambda _: tmp + "/", command)
        command = re.sub(r"cargo run -q -p (\S+)(?: --example (\S+))?(?: --(?= )| --$|(?= )|$)",
                         lambda m: shlex.quote(cargo(m)), command)
        command = re.sub(r"(?<![\w/])target/debug/",
                         lambda _: shlex.quote(str(self.target / "debug")) + "/", command)
        for old, new in ports.items():
            command = re.sub(rf"(?<![\d.]){old}(?!\d)", str(new), command)
        return command

    def env(self):
        env = dict(os.environ)
        env.pop("NET_LESSONS_SECRET", None)
        env["PYTHONIOENCODING"] = "utf-8"
        env["NO_COLOR"] = "1"
        return env

    def start(self, command):
        proc = subprocess.Popen(
            ["bash", "-o", "pipefail", "-c", command], cwd=ROOT, env=self.env(),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True)
        proc.lines = []
        proc.reader = threading.Thread(target=self.collect, args=(proc,), daemon=True)
        proc.reader.start()
        return proc

    @staticmethod
    def collect(proc):
        for raw in proc.stdout:
            proc.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    @staticmethod
    def stop(proc, grace):
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=2)
                    break
                except subprocess.TimeoutExpired:
                    continue
        proc.reader.join(timeout=2)

    def compare(self, block, command, expected, got, status):
        if SHOW:
            print(f"  --- {block.where}: $ {command}\n" + "\n".join(f"  | {g}" for g in got)
                  + f"\n  --- exit {status}")
        numbers = block.opts.get("match") == "numbers"
        want, have = normalise(expected, numbers), normalise(got, numbers)
        if want != have:
            diff = "\n".join(difflib.unified_diff(want, have, "page", "run", lineterm="", n=2))
            problem(block.where, f"`{command}` printed something else:\n{diff}")
        want_status = int(block.opts.get("exit", 0))
        if status is not None and status != want_status:
            problem(block.where, f"`{command}` exited with {status}, the page says {want_status}")

    def run_session(self, blocks):
        missing = []
        for b in blocks:
            for need in str(b.opts.get("requires", "")).split(","):
                if not need:
                    continue
                if need == "root":
                    if os.geteuid() != 0:
                        missing.append("root")
                elif need == "linux":
                    if not sys.platform.startswith("linux"):
                        missing.append("linux")
                elif shutil.which(need) is None:
                    missing.append(need)
        if missing:
            self.skipped.append(f"{blocks[0].where}: needs {', '.join(sorted(set(missing)))}")
            print(f"  skip {blocks[0].where} (needs {', '.join(sorted(set(missing)))})")
            return
        taken = set()
        ports = {}
        for b in blocks:
            for command, _ in b.commands:
                for m in re.finditer(rf"{ADDR}:(\d{{2,5}})\b", command):
                    if m.group(1) not in ports and m.group(1) != "0":
                        ports[m.group(1)] = free_port(taken)
        tmp = tempfile.mkdtemp(prefix="check-docs-")
        background = []
        try:
            for b in blocks:
                if time.monotonic() > self.deadline:
                    problem(b.where, f"not run: over the {RUN_BUDGET_SECS} s budget")
                    return
                print(f"  run  {b.where}", flush=True)
                for command, expected in b.commands:
                    real = self.translate(command, ports, tmp)
                    self.ran += 1
                    if b.opts.get("background"):
                        proc = self.start(real)
                        background.append((b, command, expected, proc))
                        self.wait_ready(b, command, expected, proc)
                        continue
                    proc = self.start(real)
                    limit = min(float(b.opts.get("timeout", COMMAND_TIMEOUT_SECS)),
                                max(1.0, self.deadline - time.monotonic()))
                    try:
                        status = proc.wait(timeout=limit)
                    except subprocess.TimeoutExpired:
                        self.stop(proc, 0)
                        problem(b.where, f"`{command}` still running after {limit:.0f} s: stopped")
                        continue
                    proc.reader.join(timeout=5)
                    self.compare(b, command, expected, proc.lines, status)
        finally:
            for b, command, expected, proc in reversed(background):
                # A server that ends by itself (--count, --once) gets a moment to do so; one that
                # serves forever is stopped, as you would with Ctrl-C.
                self.stop(proc, float(b.opts.get("grace", 1.0)))
                status = proc.returncode if "exit" in b.opts else None
                self.compare(b, command, expected, proc.lines, status)
            shutil.rmtree(tmp, ignore_errors=True)

    def wait_ready(self, block, command, expected, proc):
        """Waits for a background program's `listening on` line (or for tcpdump's), if the page
        shows one; otherwise gives it half a second."""
        if not any("listening on" in line for line in expected):
            time.sleep(float(block.opts.get("settle", 0.5)))
            return
        until = time.monotonic() + READY_TIMEOUT_SECS
        while time.monotonic() < until:
            if any("listening on" in line for line in proc.lines):
                time.sleep(float(block.opts.get("settle", 0.05)))
                return
            if proc.poll() is not None:
                proc.reader.join(timeout=2)  # it ended: take what it printed before deciding
                if any("listening on" in line for line in proc.lines):
                    return
                break
            time.sleep(0.02)
        problem(block.where, f"`{command}` never printed its `listening on` line: {proc.lines}")


def build(blocks):
    needed = set()
    for b in blocks:
        for command, _ in b.commands:
            needed.update(re.findall(r"cargo run -q -p (\S+)", command))
            needed.update(m for m in re.findall(r"target/debug/(\w+)", command) if m in LESSONS)
            if "target/debug/examples/" in command:
                needed.add("netcommon")
    args = ["cargo", "build", "-q", "--bins", "--examples"]
    for pkg in sorted(needed):
        args += ["-p", pkg]
    print(f"== building: {' '.join(args)}", flush=True)
    started = time.monotonic()
    result = subprocess.run(args, cwd=ROOT, timeout=BUILD_TIMEOUT_SECS)
    if result.returncode != 0:
        problem("cargo build", f"failed (exit {result.returncode})")
        return None
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    print(f"  built in {time.monotonic() - started:.1f} s")
    return Path(json.loads(meta.stdout)["target_directory"])


def run_blocks(only):
    """Runs the checked blocks. Rules for a page:

    - `<!-- check: OPTIONS -->` right before a ``` block marks it. In the block, a line
      `$ COMMAND` is run with bash from the repository's root; the lines after it, up to the next
      `$`, are what it must print (stdout and stderr together).
    - `cargo run -q -p PKG [--example EX] --` runs the freshly built target/debug binary.
    - Every `127.0.0.1:PORT` (or localhost:PORT) in a session's commands gets a free port, and
      that port number is replaced everywhere in the session's commands; `/tmp/` becomes a fresh
      temporary folder.
    - Options: `session=NAME` groups blocks of a page (run in page order, as terminals side by
      side); `background` starts the command and goes on (a server: it must print its `listening
      on` line first, and what it printed by the end of the session is compared); `exit=N` the
      exit status expected (default 0); `timeout=S`; `grace=S` how long a background program may
      take to end by itself before it is stopped; `match=numbers` compares with every number
      replaced (timings); `requires=curl,root,...` skips the session when they are missing.
    """
    print("== 4. the commands the pages show print what the pages show", flush=True)
    blocks = parse_blocks()
    if only:
        blocks = [b for b in blocks if only in str(b.page)]
    if not blocks:
        return
    target = build(blocks)
    if target is None:
        return
    runner = Runner(target, time.monotonic() + RUN_BUDGET_SECS)
    sessions = {}
    for b in blocks:
        sessions.setdefault(b.session if "session" not in b.opts
                            else f"{rel(b.page)}:{b.opts['session']}", []).append(b)
    started = time.monotonic()
    for group in sessions.values():
        runner.run_session(group)
    print(f"  {runner.ran} commands in {len(sessions)} sessions, "
          f"{time.monotonic() - started:.1f} s")
    for skip in runner.skipped:
        print(f"  skipped {skip}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-run", action="store_true", help="skip check 4 (running commands)")
    parser.add_argument("--only", help="run only the blocks of pages whose path contains this")
    parser.add_argument("--show", action="store_true", help="print every command's real output")
    args = parser.parse_args()
    global SHOW
    SHOW = args.show
    check_notes_mapped()
    check_inventory()
    check_links()
    check_lesson_pages()
    check_step_tables()
    check_anchor_lines()
    check_step_order()
    if not args.no_run:
        run_blocks(args.only)
    if problems:
        print(f"\ncheck-docs: {len(problems)} problem(s):")
        for p in problems:
            print(f"  - {p.splitlines()[0]}")
        return 1
    print("\ncheck-docs: all good")
    return 0


if __name__ == "__main__":
    sys.exit(main())
