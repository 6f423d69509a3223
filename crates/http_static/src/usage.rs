//! The command line: `--help`'s usage, in Chinese (the default) and in English
//! (`NET_LESSONS_LANG=en`), and [`options`], which reads the command line into [`Options`].

use std::time::Duration;

use anyhow::{Context, Result};
use netcommon::{check_addr, tr, Args, Root};

use crate::{DEFAULT_BIND, DEFAULT_ROOT, HEAD_TIMEOUT, KEEP_ALIVE};

pub const USAGE_ZH: &str = "\
用法：http_static [--bind 127.0.0.1:8888] [--root DIR] [--threads N] [--keep-alive S]
                  [--head-timeout S] [--dump]

用 HTTP/1.1（GET 和 HEAD）提供 DIR 下的文件：文件夹给出它的 index.html，没有的话给出文件列表。
每个请求打印一行 `IP:PORT \"请求行\" 状态码 字节数`。
  --root DIR         要提供的文件夹（默认：crates/http_static/site 里的示例网站）
  --threads N        最多同时服务 N 个连接，每个一个线程；都占满时，关掉空闲最久的那个，
                     给新的腾地方。默认：THREADS
  --keep-alive S     保持着的连接 S 秒没有新请求就关闭（默认 5；测试用更短的时间，跑得快些）
  --head-timeout S   请求头必须在第一个字节到达后 S 秒内收完，否则 408 Request Timeout
                     （默认 10；测试用更短的时间，跑得快些）
  --dump             把每个请求（请求头和请求体）按收到的样子也打印出来（笔记 004 2.3.4）";

pub const USAGE_EN: &str = "\
usage: http_static [--bind 127.0.0.1:8888] [--root DIR] [--threads N] [--keep-alive S]
                   [--head-timeout S] [--dump]

Serves the files under DIR over HTTP/1.1 (GET and HEAD): a folder gives its index.html, else a
listing. Prints `IP:PORT \"REQUEST LINE\" STATUS BYTES` for every request.
  --root DIR         the folder to serve (default: the sample site in crates/http_static/site)
  --threads N        serve at most N connections at once, a thread each; when all are taken,
                     the one idle the longest is closed to make room.
                     Default: THREADS
  --keep-alive S     a kept-alive connection with no new request for S seconds is closed
                     (default 5; the tests use less to run quicker)
  --head-timeout S   a request head must arrive within S seconds of its first byte, else
                     408 Request Timeout (default 10; the tests use less to run quicker)
  --dump             also print every request, head and body, as it arrived (notes 004 2.3.4)";

/// The command line (`--help` shows it).
pub struct Options {
    pub bind: String,
    pub root: Root,
    pub threads: usize,
    pub keep_alive: Duration,
    pub head_timeout: Duration,
    pub dump: bool,
}

pub fn options(mut args: Args, default_threads: usize) -> Result<Options> {
    let bind = check_addr(&args.value_or("--bind", DEFAULT_BIND)?)?;
    let root = args.value_or("--root", DEFAULT_ROOT)?;
    let threads = args.count("--threads")?.unwrap_or(default_threads);
    let keep_alive = args.seconds("--keep-alive")?.unwrap_or(KEEP_ALIVE);
    let head_timeout = args.seconds("--head-timeout")?.unwrap_or(HEAD_TIMEOUT);
    let dump = args.flag("--dump");
    args.no_more()?;
    // The root folder, opened once: every name asked for is opened beneath it, never outside.
    let root = Root::open(root.as_ref()).with_context(|| {
        tr!(
            "根目录 {root}（用 --root 给一个存在的文件夹）",
            "root folder {root}"
        )
    })?;
    Ok(Options {
        bind,
        root,
        threads,
        keep_alive,
        head_timeout,
        dump,
    })
}
