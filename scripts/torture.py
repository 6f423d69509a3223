#!/usr/bin/env python3
"""The attack clients of scripts/torture.sh: each subcommand runs one attack against a server
that torture.sh started, on 127.0.0.1 only, bounded in count and time, and prints one short
result line (what goes into the table). Plain sockets, standard library only.

  noread ADDR KIND PID WAIT  a client that sends and never reads, then a real client (who
                             waits WAIT seconds at most)
  silent N ADDR KIND WAIT    N silent connections queued, then a real client
  flood MODE N ADDR KIND PID N idle or trickling connections, then 5 real clients
  silent-flood RATE ADDR KIND  RATE new silent connections a second for 4 s, and while they
                             come, 10 real clients: how many are served within 1 s
  swap ROOT OUTSIDE ADDR KIND  a folder of ROOT swapped again and again with a symlink to
                             OUTSIDE while 2 clients fetch a file in it for 3 s: how many
                             responses had the outside file
  many ADDR KIND N           N real clients one after another (the server's stdout is a pipe
                             that nobody reads): how many were served
  real ADDR KIND             one real client (torture.sh uses it after `server | head -1`)
  head ADDR                  HEAD of a missing file: is there a body after the head?
  fds ADDR KIND LOG WORD     connections past the server's file-descriptor limit: how many
                             log lines with WORD in 3 s, then a real client
  hold ADDR PID SECS          a silent client that never closes: does the server end?
  quiet-server               a server that accepts and never says anything (prints its address)
  ctrl-c EXE OUTDIR [PY]     the file_downloader client (or the notes' Python client, PY) gets
                             SIGINT mid-download: what is left in OUTDIR
  endless EXE OUTDIR [PY]    a server that sends without end: the client with --max-bytes (or
                             the notes' Python client for 3 s)

KIND says what a real client does: echo (send, any reply), http (GET / and a status line),
file:NAME (send NAME, bytes until the close), auth:SECRET (client_auth's challenge), udp (a
datagram and its reply), sticky (read until the close).
"""

import hashlib
import heapq
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"
# How long a real client may take before it counts as not served.
REAL_DEADLINE = 5.0


def addr_of(text):
    host, port = text.rsplit(":", 1)
    assert host in ("127.0.0.1", "localhost"), "loopback only"
    return (HOST, int(port))


def real(addr, kind, deadline=REAL_DEADLINE):
    """One normal client. Returns (served, seconds, detail)."""
    start = time.monotonic()
    try:
        if kind == "udp":
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(deadline)
            s.sendto(b"ping", addr)
            data, _ = s.recvfrom(2048)
            s.close()
            return True, time.monotonic() - start, "reply %r" % data[:20]
        s = socket.create_connection(addr, timeout=deadline)
        s.settimeout(max(0.1, deadline - (time.monotonic() - start)))
        if kind == "echo":
            s.sendall(b"ping\n")
            data = s.recv(1024)
            ok = len(data) > 0
        elif kind == "http":
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = s.recv(1024)
            ok = data.startswith(b"HTTP/1.")
            data = data.split(b"\r\n", 1)[0]
        elif kind.startswith("file:"):
            s.sendall(kind[5:].encode())
            data = read_to_close(s)
            ok = len(data) > 0
            data = b"%d bytes" % len(data)
        elif kind.startswith("auth:"):
            nonce = read_exact(s, 32)
            s.sendall(hashlib.sha1(kind[5:].encode() + nonce).hexdigest().encode())
            data = s.recv(1024)
            ok = data == b"hello"
        elif kind == "sticky":
            data = read_to_close(s)
            ok = len(data) > 0
        else:
            raise SystemExit("unknown kind " + kind)
        s.close()
        return ok, time.monotonic() - start, repr(data[:40])
    except (OSError, socket.timeout) as e:
        return False, time.monotonic() - start, type(e).__name__


def read_to_close(s):
    chunks = []
    while True:
        b = s.recv(65536)
        if not b:
            return b"".join(chunks)
        chunks.append(b)


def read_exact(s, n):
    got = b""
    while len(got) < n:
        b = s.recv(n - len(got))
        if not b:
            raise ConnectionError("closed")
        got += b
    return got


def served(result):
    ok, secs, detail = result
    if ok:
        return "served in %d ms" % (secs * 1000)
    return "NOT served (%s after %.1f s)" % (detail, secs)


def memory(pid):
    """The server's resident memory and thread count, from /proc (Linux)."""
    try:
        with open("/proc/%s/status" % pid) as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        rss = int(fields["VmRSS"].split()[0]) // 1024
        return "%d MiB, %s threads" % (rss, fields["Threads"].strip())
    except (OSError, KeyError, ValueError):
        return "memory unknown"


def alive(pid):
    """Is the process running? (An exited child of torture.sh stays a zombie until the
    script waits for it: that counts as gone.)"""
    try:
        os.kill(int(pid), 0)
    except OSError:
        return False
    try:
        with open("/proc/%s/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def cmd_noread(addr, kind, pid, wait):
    """SO_RCVBUF 4096, then send (requests, or a name) until the server's replies fill both
    buffers and our send blocks; never read. Then a real client."""
    a = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    a.connect(addr)
    a.settimeout(2.0)
    if kind == "http":
        chunk = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 50
    elif kind.startswith("file:"):
        chunk = None
        a.sendall(b"big.bin")  # a file larger than every buffer; we never read it
    else:
        chunk = b"x" * 65536
    sent = 0
    blocked = False
    deadline = time.monotonic() + 10
    while chunk and time.monotonic() < deadline and sent < (64 << 20):
        try:
            sent += a.send(chunk)
        except socket.timeout:
            blocked = True
            break
        except OSError:
            break  # the server closed us: fine, it defended itself
    if not chunk:
        time.sleep(2)  # let the server fill its side
    result = real(addr, kind, deadline=wait)
    a.close()
    how = "send blocked after %d KiB" % (sent // 1024) if blocked else "sent %d KiB" % (sent // 1024)
    if not chunk:
        how = "asked for big.bin, read nothing"
    still = "" if alive(pid) else ", server gone"
    return "%s; real client %s%s" % (how, served(result), still)


def cmd_silent(n, addr, kind, wait):
    conns = [socket.create_connection(addr, timeout=5) for _ in range(n)]
    result = real(addr, kind, deadline=wait)
    for c in conns:
        c.close()
    return "%d silent, then real client %s" % (n, served(result))


def cmd_flood(mode, n, addr, kind, pid):
    """n connections that stay idle, or trickle one byte every 2 s (a request head, a file
    name), each on its own schedule starting at a random moment in its first 2 s (as clients
    that arrive at different times would); after they are all open, 5 real clients one after
    another."""
    text = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4000
    if kind.startswith("file:"):
        text = b"big.bin"
    conns, failed = [], 0
    due = []  # a heap of (next send time, number, connection, bytes sent)
    lock = threading.Lock()
    stop = threading.Event()

    def trickle():
        while not stop.is_set():
            now = time.monotonic()
            with lock:
                while due and due[0][0] <= now:
                    at, k, c, i = heapq.heappop(due)
                    try:
                        c.send(text[i % len(text):i % len(text) + 1])
                    except OSError:
                        pass
                    heapq.heappush(due, (at + 2.0, k, c, i + 1))
            stop.wait(0.05)

    t = None
    if mode == "trickle":
        t = threading.Thread(target=trickle, daemon=True)
        t.start()
    start = time.monotonic()
    bounded = ""
    for _ in range(n):
        if time.monotonic() - start > 60 or failed > n // 20:
            bounded = " (flood stopped after %.0f s)" % (time.monotonic() - start)
            break  # bounded: a server that stops accepting does not hold us here
        try:
            # 3 s: a SYN dropped while the listen queue is full is sent again after 1 s
            c = socket.create_connection(addr, timeout=3)
            c.setblocking(False)
            conns.append(c)
            with lock:
                first = time.monotonic() + random.uniform(0, 2.0)
                heapq.heappush(due, (first, len(conns), c, 0))
        except OSError:
            failed += 1
    time.sleep(2.0)  # the last ones idle past the servers' 1.5 s grace too
    results = [real(addr, kind, deadline=5.0) for _ in range(5)]
    mem = memory(pid)
    still_open = sum(1 for c in conns if is_open(c))
    stop.set()
    if t:
        t.join()
    for c in conns:
        c.close()
    ok = [r for r in results if r[0]]
    slowest = max((r[1] for r in ok), default=0)
    line = "%d/5 served (slowest %d ms)" % (len(ok), slowest * 1000)
    refused = " (%d could not connect)" % failed if failed else ""
    return "%s; %d of %d still open%s%s; %s" % (
        line, still_open, len(conns), refused, bounded, mem)


def cmd_silent_flood(rate, addr, kind):
    """rate new connections a second that never send anything, for 4 s; each is held 2 s
    (past the servers' 1.5 s grace) and then closed, so the attacker's own file descriptors
    stay bounded. After 1 s of flood (the server is full by then), 10 real clients one after
    another, 0.2 s apart, while the flood goes on: each must be served within 1 s."""
    stop = threading.Event()
    counts = {"opened": 0, "failed": 0}

    def flood():
        held = []  # (when to close, connection)
        start = time.monotonic()
        k = 0
        while not stop.is_set() and time.monotonic() - start < 4.0:
            due = start + k / rate
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            k += 1
            try:
                c = socket.socket()
                c.settimeout(1.0)
                c.connect(addr)
                held.append((time.monotonic() + 2.0, c))
                counts["opened"] += 1
            except OSError:
                c.close()
                counts["failed"] += 1
            while held and held[0][0] <= time.monotonic():
                held.pop(0)[1].close()
        for _, c in held:
            c.close()

    t = threading.Thread(target=flood, daemon=True)
    t.start()
    time.sleep(1.0)
    results = []
    for _ in range(10):
        results.append(real(addr, kind, deadline=5.0))
        time.sleep(0.2)
    stop.set()
    t.join()
    in_time = [r for r in results if r[0] and r[1] <= 1.0]
    slowest = max((r[1] for r in results if r[0]), default=0)
    failed = " (%d could not connect)" % counts["failed"] if counts["failed"] else ""
    return "%d/10 served within 1 s (slowest %d ms); %d silent connections%s" % (
        len(in_time), slowest * 1000, counts["opened"], failed)


def rename_exchange(a, b):
    """Swaps two names atomically (Linux renameat2 RENAME_EXCHANGE, through libc); falls back
    to three renames where that is missing."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        at_fdcwd, exchange = -100, 2
        if libc.renameat2(at_fdcwd, a.encode(), at_fdcwd, b.encode(), exchange) == 0:
            return
    except (OSError, AttributeError):
        pass
    os.rename(a, a + ".swap")
    os.rename(b, a)
    os.rename(a + ".swap", b)


def cmd_swap(root, outside, addr, kind):
    """ROOT/live/page.txt says "inside"; OUTSIDE/page.txt says "OUTSIDE"; ROOT/other is a
    symlink to OUTSIDE. ROOT/live and ROOT/other are swapped without pause for 3 s while 2
    clients fetch live/page.txt; then, with everything back, 20 more fetches."""
    os.makedirs(os.path.join(root, "live"), exist_ok=True)
    os.makedirs(outside, exist_ok=True)
    for folder, text in ((os.path.join(root, "live"), b"inside!"), (outside, b"OUTSIDE")):
        path = os.path.join(folder, "page.txt")
        with open(path, "wb") as f:
            f.write(text)
        old = time.time() - 60  # settled: small files may be kept in memory
        os.utime(path, (old, old))
    other = os.path.join(root, "other")
    if not os.path.islink(other):
        os.symlink(outside, other)
    live = os.path.join(root, "live")
    stop = threading.Event()
    counts = {"swaps": 0, "responses": 0, "leaked": 0}

    def fetch():
        if kind == "http":
            s = socket.create_connection(addr, timeout=5)
            s.sendall(b"GET /live/page.txt HTTP/1.0\r\nHost: t\r\n\r\n")
        else:
            s = socket.create_connection(addr, timeout=5)
            s.sendall(b"live/page.txt")
        try:
            return read_to_close(s)
        except OSError:
            return b""
        finally:
            s.close()

    def swapper():
        while not stop.is_set() or counts["swaps"] % 2:
            rename_exchange(live, other)
            counts["swaps"] += 1

    def client():
        while not stop.is_set():
            got = fetch()
            counts["responses"] += 1
            if b"OUTSIDE" in got:
                counts["leaked"] += 1

    threads = [threading.Thread(target=swapper)] + [
        threading.Thread(target=client) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(3.0)
    stop.set()
    for t in threads:
        t.join()
    after = sum(1 for _ in range(20) if fetch().endswith(b"inside!"))
    return "%d of %d responses had the outside file (%d swaps); then right %d/20" % (
        counts["leaked"], counts["responses"], counts["swaps"], after)


def cmd_many(addr, kind, n):
    """n real clients one after another: the server logs a line or more for each."""
    start = time.monotonic()
    ok = 0
    for _ in range(n):
        if real(addr, kind, deadline=5.0)[0]:
            ok += 1
        elif time.monotonic() - start > 60:
            break
    return "%d/%d served in %.1f s" % (ok, n, time.monotonic() - start)


def is_open(c):
    """Not closed by the server: reading (without waiting) finds no end of stream, only
    nothing more, after whatever the server had sent (an echo of trickled bytes)."""
    try:
        while c.recv(65536):
            pass
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False


def cmd_head(addr):
    s = socket.create_connection(addr, timeout=5)
    s.sendall(b"HEAD /no-such-file HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    try:
        data = read_to_close(s)
    except OSError:
        data = b""
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].decode("latin-1")
    if body:
        return "%s + %d body bytes" % (status, len(body))
    return "%s, no body" % status


def cmd_fds(addr, kind, log, word):
    """The server runs with a low file-descriptor limit; we open 300 connections and hold
    them 3 s, counting the server's log lines with `word`. Then we let go, and a real client."""
    conns = []
    for _ in range(300):
        try:
            conns.append(socket.create_connection(addr, timeout=1))
        except OSError:
            break  # the listen queue is full too: enough
    before = count_lines(log, word)
    time.sleep(3)
    lines = count_lines(log, word) - before
    for c in conns:
        c.close()
    time.sleep(0.5)
    result = real(addr, kind)
    return "%d log lines in 3 s; then real client %s" % (lines, served(result))


def count_lines(path, word):
    try:
        with open(path, errors="replace") as f:
            return sum(1 for line in f if word in line)
    except OSError:
        return 0


def cmd_hold(addr, pid, secs):
    """Connects and stays silent (never sends, never reads, never closes) until the server
    `pid` exits or `secs` have passed."""
    c = socket.create_connection(addr, timeout=5)
    start = time.monotonic()
    while time.monotonic() - start < secs:
        if not alive(pid):
            break
        time.sleep(0.1)
    waited = time.monotonic() - start
    c.close()
    if alive(pid):
        return "server still waiting after %d s" % secs
    return "server ended after %.1f s" % waited


def cmd_quiet_server():
    """Accepts and says nothing, for 60 s at most; prints its address first."""
    lst = socket.socket()
    lst.bind((HOST, 0))
    lst.listen(8)
    print("listening on %s:%d" % lst.getsockname(), flush=True)
    lst.settimeout(60)
    held = []
    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            held.append(lst.accept()[0])
        except OSError:
            break


def fake_server(mode):
    """A file server that reads the name, then either sends 200 KB and stalls ("stall"), or
    sends without end, at most 1 GiB ("endless"). Returns (address, thread)."""
    lst = socket.socket()
    lst.bind((HOST, 0))
    lst.listen(1)
    lst.settimeout(20)

    def serve():
        try:
            c, _ = lst.accept()
        except OSError:
            return
        c.settimeout(20)
        try:
            c.recv(1024)
            chunk = b"\xab" * 65536
            total = 200_000 if mode == "stall" else 1 << 30
            sent = 0
            while sent < total:
                sent += c.send(chunk[: total - sent])
            if mode == "stall":
                c.recv(1)  # until the client is gone
        except OSError:
            pass
        c.close()
        lst.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return "%s:%d" % lst.getsockname(), t


def leftovers(outdir):
    names = sorted(os.listdir(outdir))
    if not names:
        return "nothing left"
    sizes = ", ".join("%s (%d bytes)" % (n, os.path.getsize(os.path.join(outdir, n))) for n in names)
    return "left: " + sizes


def client_command(exe, address, py, outdir, extra):
    if py:
        port = address.rsplit(":", 1)[1]
        # the notes' 000 client: port and folder as arguments, the name on stdin
        return [sys.executable, py, port, outdir + "/"], b"stalled.bin\n"
    return [exe, "client", address, "stalled.bin", "--out", os.path.join(outdir, "stalled.bin")] + extra, b""


def default_sigint():
    """A job started in the background by a script ignores Ctrl-C (SIGINT), and so would its
    children: give the client SIGINT's default back, as it has in a terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def cmd_ctrl_c(exe, outdir, py=None):
    address, t = fake_server("stall")
    argv, stdin = client_command(exe, address, py, outdir, [])
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, preexec_fn=default_sigint)
    p.stdin.write(stdin)
    p.stdin.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and sum(
        os.path.getsize(os.path.join(outdir, n)) for n in os.listdir(outdir)
    ) < 150_000:  # most of the 200 KB on disk (Python buffers its last few KB)
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    try:
        code = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        code = p.wait()
    t.join(timeout=5)
    return "exit %s, %s" % (code, leftovers(outdir))


def cmd_endless(exe, outdir, py=None):
    address, t = fake_server("endless")
    argv, stdin = client_command(exe, address, py, outdir, ["--max-bytes", "10000000"])
    start = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    p.stdin.write(stdin)
    p.stdin.close()
    try:
        code = p.wait(timeout=3)
        ended = "exit %d after %.1f s" % (code, time.monotonic() - start)
    except subprocess.TimeoutExpired:
        size = sum(os.path.getsize(os.path.join(outdir, n)) for n in os.listdir(outdir))
        p.kill()
        p.wait()
        ended = "still writing after 3 s (%d MB, stopped by us)" % (size // 1_000_000)
    t.join(timeout=10)
    left = leftovers(outdir)
    for n in os.listdir(outdir):
        os.remove(os.path.join(outdir, n))
    return "%s, %s" % (ended, left)


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    cmd = args.pop(0)
    if cmd == "noread":
        print(cmd_noread(addr_of(args[0]), args[1], args[2], float(args[3])))
    elif cmd == "silent":
        print(cmd_silent(int(args[0]), addr_of(args[1]), args[2], float(args[3])))
    elif cmd == "flood":
        print(cmd_flood(args[0], int(args[1]), addr_of(args[2]), args[3], args[4]))
    elif cmd == "silent-flood":
        print(cmd_silent_flood(float(args[0]), addr_of(args[1]), args[2]))
    elif cmd == "swap":
        print(cmd_swap(args[0], args[1], addr_of(args[2]), args[3]))
    elif cmd == "many":
        print(cmd_many(addr_of(args[0]), args[1], int(args[2])))
    elif cmd == "real":
        print(served(real(addr_of(args[0]), args[1])))
    elif cmd == "head":
        print(cmd_head(addr_of(args[0])))
    elif cmd == "fds":
        print(cmd_fds(addr_of(args[0]), args[1], args[2], args[3]))
    elif cmd == "hold":
        print(cmd_hold(addr_of(args[0]), args[1], float(args[2])))
    elif cmd == "quiet-server":
        cmd_quiet_server()
    elif cmd == "ctrl-c":
        print(cmd_ctrl_c(*args))
    elif cmd == "endless":
        print(cmd_endless(*args))
    else:
        raise SystemExit("unknown attack " + cmd)


if __name__ == "__main__":
    main()
