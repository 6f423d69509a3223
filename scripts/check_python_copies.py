#!/usr/bin/env python3
"""Checks that python/notes/ holds the notes' own programs, changed only as each file declares.

Every file in python/notes/ starts with a header (Chinese first, English beside):

    # 笔记原文：003_6803229bc8d13a65.txt 第 114-127 行，「tcp协议」的服务器端
    # Source: notes 003_6803229bc8d13a65.txt, lines 114-127, "tcp协议", the server
    # 改动：port ready
    # Edits: port ready
    # (any lines saying more, Chinese first)
    # ---

The program follows the `# ---` line. This script takes those lines of the notes
(`../shared/notes` beside the repository, or $NET_LESSONS_NOTES), compares them with the
program (difflib) and accepts only the differences the declared edits explain:

    port    the port (and the address, 127.0.0.1) come from the command line: a changed or an
            added line ends with `# port`; a changed line must equal the notes' line once the
            port numbers, the address literals and `int(sys.argv[N])` are set aside
    folder  the folder to save into comes from the command line (`sys.argv[N]` in place of the
            notes' path literal): the line ends with `# folder`
    ready   an added line, ending with `# ready`, prints `listening on ...` once the program
            listens, so that a test or a page knows when to start the other side
    flush   `, flush=True` added to prints (the line equals the notes' line without it)
    indent  the notes lost their indentation (002): it is rebuilt; only leading whitespace may
            differ from the notes
    fix     a bug that stops the notes' program before it does anything (a missing `:`, a
            missing import, an undefined name) is fixed: the line ends with `# fix`

A declared edit that explains nothing is an error too, and so is a file without its header.
One line per file: `ok`, or the first difference nothing explains, with both lines. Exit 1 on
any failure.

python/ours/ holds the programs the notes do not give; each starts with a header saying which
notes program it comes from (`# 我们写的 ...` / `# Ours ...`, naming a notes file that exists),
ended by a `# ---` line. A `NAME_network_order.py` there must be python/notes/NAME.py with
`'!i'` (network byte order) in place of `'i'`, line for line, and nothing else changed.

Where the notes are not found (a fresh clone in CI), the headers are still checked and the
comparison is skipped, saying so.
"""

import difflib
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTES_PY = ROOT / "python" / "notes"
OUR_PY = ROOT / "python" / "ours"
NOTES_DIR = Path(os.environ.get("NET_LESSONS_NOTES", ROOT.parent / "shared" / "notes"))

KINDS = ["port", "folder", "ready", "flush", "indent", "fix"]
MARKED = {"port", "folder", "ready", "fix"}  # kinds whose lines carry a `# kind` marker

SRC_ZH = re.compile(r"^# 笔记原文：(\d{3}_[0-9a-f]+\.txt) 第 (\d+)-(\d+) 行，「([^」]+)」")
SRC_EN = re.compile(r'^# Source: notes (\d{3}_[0-9a-f]+\.txt), lines (\d+)-(\d+), "([^"]+)"')
EDITS_ZH = re.compile(r"^# 改动：(.*)$")
EDITS_EN = re.compile(r"^# Edits: (.*)$")
END = "# ---"
OURS_ZH = re.compile(r"^# 我们写的.*?(\d{3}_[0-9a-f]+\.txt) 第 (\d+)-(\d+) 行")
OURS_EN = re.compile(r"^# Ours.*?notes (\d{3}_[0-9a-f]+\.txt), lines (\d+)-(\d+)")
MARKER = re.compile(r"\s+# (" + "|".join(sorted(MARKED)) + r")$")


class Undeclared(Exception):
    pass


def header(lines):
    """(notes file, first line, last line, title, kinds, where the program starts)."""
    head = lines[:lines.index(END)] if END in lines else []
    if not head or not all(line.startswith("#") for line in head):
        raise Undeclared(f"no header (comment lines ending with a `{END}` line)")
    zh = [m for m in map(SRC_ZH.match, head) if m]
    en = [m for m in map(SRC_EN.match, head) if m]
    if len(zh) != 1 or len(en) != 1:
        raise Undeclared("the header needs one `# 笔记原文：...` line and one `# Source: ...` line")
    if zh[0].groups() != en[0].groups():
        raise Undeclared("the Chinese and English source lines disagree")
    if head.index(zh[0].string) > head.index(en[0].string):
        raise Undeclared("the Chinese source line must come before the English one")
    ezh = [m.group(1).split() for m in map(EDITS_ZH.match, head) if m]
    een = [m.group(1).split() for m in map(EDITS_EN.match, head) if m]
    if len(ezh) != 1 or len(een) != 1:
        raise Undeclared("the header needs one `# 改动：...` line and one `# Edits: ...` line")
    kinds = [] if ezh[0] == ["无"] else ezh[0]
    if kinds != ([] if een[0] == ["none"] else een[0]):
        raise Undeclared("the Chinese and English edit lines disagree")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise Undeclared(f"unknown edit kind {unknown[0]!r} (known: {' '.join(KINDS)})")
    notes, first, last, title = zh[0].groups()
    return notes, int(first), int(last), title, set(kinds), len(head) + 1


def notes_lines(name):
    return (NOTES_DIR / name).read_text(encoding="utf-8").split("\n")


ADDRESS = re.compile(r"""(['"])[\d.]*\1(\s*\+\s*str\(\w+\))?""")
ARGV_PORT = re.compile(r"int\(sys\.argv\[\d\]\)")
NUMBER = re.compile(r"\b\d{2,5}\b")


def same_but_port(notes, copy):
    """The notes' line and ours agree once the ports and addresses are set aside."""
    copy = ARGV_PORT.sub("PORT", copy)
    return (NUMBER.sub("PORT", ADDRESS.sub("ADDR", notes))
            == NUMBER.sub("PORT", ADDRESS.sub("ADDR", copy)))


def same_but_folder(notes, copy):
    path = re.compile(r"""(['"])[^'"]*/\1""")
    return path.sub("FOLDER", notes) == re.sub(r"sys\.argv\[\d\]", "FOLDER", copy)


def similar(notes, copy):
    return difflib.SequenceMatcher(None, notes, copy).ratio() > 0.6


# How a marked line may stand for a notes line it replaces, and what a marked line may add.
PAIRS = {"port": same_but_port, "folder": same_but_folder, "fix": similar,
         "ready": lambda notes, copy: False}
ADDED = {"port": lambda line: re.fullmatch(r"import\s+sys", line.strip()) is not None,
         "folder": lambda line: False,
         "ready": lambda line: line.lstrip().startswith("print(") and "flush=True" in line,
         "fix": lambda line: True}


def compare(ours, theirs, kinds):
    """Raises Undeclared at the first difference `kinds` do not explain; returns the kinds used."""
    used = set()

    def norm(line, flush):
        if "indent" in kinds:
            line = line.lstrip()
        if flush:
            line = line.replace(", flush=True)", ")")
        return line

    def lead(line):
        return line[:len(line) - len(line.lstrip())]

    a = [norm(line, False) for line in theirs]
    b = [norm(MARKER.sub("", line), "flush" in kinds) for line in ours]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            continue
        for i, j in zip(range(i1, i2), range(j1, j2)):
            if MARKER.search(ours[j]):
                raise Undeclared(f"line {j} is marked but the same as notes line {i}: "
                                 f"{ours[j]!r}")
            if ours[j] == theirs[i]:
                continue
            if ", flush=True)" in ours[j] and ", flush=True)" not in theirs[i]:
                used.add("flush")
            if lead(ours[j]) != lead(theirs[i]):
                used.add("indent")
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        # Our lines here replace the notes' lines i1..i2 (none for an insertion). Each must carry
        # a declared marker; a changed line is paired with the notes' line it stands for.
        left = list(range(i1, i2))
        for j in range(j1, j2):
            marker = MARKER.search(ours[j])
            if not marker or marker.group(1) not in kinds:
                notes = f"notes: {theirs[left[0]]!r}" if left else "notes: (no such line)"
                raise Undeclared(f"line {j} differs, no declared edit explains it: "
                                 f"{notes} | ours: {ours[j]!r}")
            kind = marker.group(1)
            used.add(kind)
            same = PAIRS[kind]
            paired = next((i for i in left if same(a[i], b[j])), None)
            if paired is not None:
                left.remove(paired)
            elif not ADDED[kind](MARKER.sub("", ours[j])):
                raise Undeclared(f"line {j} is marked {kind} but changes more than that: "
                                 f"ours: {ours[j]!r}" + (f" | notes: {theirs[left[0]]!r}"
                                                         if left else ""))
        if left:
            raise Undeclared(f"notes line {left[0]} is missing: {theirs[left[0]]!r}")
    return used


def check_notes_copy(path, notes_found):
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    notes, first, last, title, kinds, start = header(lines)
    if not notes_found:
        return (f"header ok (edits: {' '.join(k for k in KINDS if k in kinds) or 'none'}); "
                "notes not found, not compared")
    if not (NOTES_DIR / notes).is_file():
        raise Undeclared(f"no notes file {notes}")
    text = notes_lines(notes)
    if not 1 <= first <= last <= len(text):
        raise Undeclared(f"lines {first}-{last} are not in {notes} ({len(text)} lines)")
    if not any(title in line for line in text[:first - 1]):
        raise Undeclared(f"no heading 「{title}」 in {notes} before line {first}")
    theirs = text[first - 1:last]
    ours = lines[start:]
    # Line numbers in messages: the notes' as in the notes file, ours as in the copy.
    try:
        used = compare(ours, theirs, kinds)
    except Undeclared as e:
        msg = str(e)
        msg = re.sub(r"notes line (\d+)", lambda m: f"notes line {first + int(m.group(1))}", msg)
        msg = re.sub(r"^line (\d+)", lambda m: f"line {start + 1 + int(m.group(1))}", msg)
        raise Undeclared(msg) from None
    unused = sorted(kinds - used)
    if unused:
        raise Undeclared(f"declared but not needed: {' '.join(unused)}")
    return f"ok ({notes} {first}-{last}; edits: {' '.join(k for k in KINDS if k in kinds) or 'none'})"


def check_our_program(path, notes_found):
    lines = path.read_text(encoding="utf-8").split("\n")
    head = lines[:lines.index(END)] if END in lines else []
    if not all(line.startswith("#") for line in head):
        head = []
    zh = [m for m in map(OURS_ZH.match, head) if m]
    en = [m for m in map(OURS_EN.match, head) if m]
    if len(zh) != 1 or len(en) != 1 or zh[0].groups() != en[0].groups():
        raise Undeclared("no header saying which notes program it comes from "
                         "(`# 我们写的…NNN_x.txt 第 A-B 行` and `# Ours…notes NNN_x.txt, lines A-B`)")
    notes, first, last = zh[0].groups()
    if notes_found:
        if not (NOTES_DIR / notes).is_file():
            raise Undeclared(f"no notes file {notes}")
        if int(last) > len(notes_lines(notes)):
            raise Undeclared(f"lines {first}-{last} are not in {notes}")
    if path.stem.endswith(NETWORK_ORDER):
        return network_order(path, lines[len(head) + 1:], notes, first, last)
    return f"ok (ours, from {notes} {first}-{last})"


NETWORK_ORDER = "_network_order"


def network_order(path, program, notes, first, last):
    """A `*_network_order.py` is its python/notes/ copy with `'!i'` (network order) in place of
    `'i'` and nothing else changed, as its header says: the same lines, one by one."""
    twin = NOTES_PY / (path.stem[:-len(NETWORK_ORDER)] + path.suffix)
    if not twin.is_file():
        raise Undeclared(f"no {twin.relative_to(ROOT).as_posix()} to compare it with")
    theirs = twin.read_text(encoding="utf-8").split("\n")
    theirs = theirs[theirs.index(END) + 1:]
    if len(program) != len(theirs):
        raise Undeclared(f"{len(program)} lines against {len(theirs)} in {twin.name}")
    changed = 0
    for no, (ours, notes_line) in enumerate(zip(program, theirs), 1):
        if ours != notes_line:
            if ours.replace("'!i'", "'i'") != notes_line:
                raise Undeclared(f"line {no} differs from {twin.name} beyond 'i' -> '!i':\n"
                                 f"    {twin.name}: {notes_line}\n    ours: {ours}")
            changed += 1
    if not changed:
        raise Undeclared(f"no 'i' changed to '!i': the same as {twin.name}")
    lines = "line" if changed == 1 else "lines"
    return f"ok (ours, from {notes} {first}-{last}: {twin.name} with '!i' on {changed} {lines})"


def main():
    notes_found = NOTES_DIR.is_dir()
    if not notes_found:
        print(f"notes not found at {NOTES_DIR}: checking the headers only")
    failed = 0
    files = [(p, check_notes_copy) for p in sorted(NOTES_PY.iterdir())]
    files += [(p, check_our_program) for p in sorted(OUR_PY.iterdir())]
    for path, check in files:
        rel = path.relative_to(ROOT).as_posix()
        try:
            if path.suffix != ".py":
                raise Undeclared("not a .py file")
            print(f"{rel}: {check(path, notes_found)}")
        except Undeclared as e:
            failed += 1
            print(f"{rel}: FAILED: {e}")
    print(f"{len(files) - failed} of {len(files)} files ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
