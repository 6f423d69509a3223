//! `--help`: the usage, in Chinese (the default) and in English (`NET_LESSONS_LANG=en`).

pub const USAGE_ZH: &str = "\
用法：tcp_client [--encoding E] [--timeout S] SERVER [MESSAGE...]

连接 SERVER（主机:端口）；每条 MESSAGE 发出去，打印回答（`接收到的数据为: TEXT`）。
没有 MESSAGE 时从标准输入一行一行地读，直到输入结束或一行 `q`（或 `Q`）。
  --encoding E    utf-8（默认）或 gbk
  --timeout S     回答超过 S 秒还没来就放弃（默认 30）";

pub const USAGE_EN: &str = "\
usage: tcp_client [--encoding E] [--timeout S] SERVER [MESSAGE...]

Connects to SERVER (HOST:PORT); for each MESSAGE sends it and prints `reply: TEXT`.
With no MESSAGE, reads lines from stdin until end of input or a line `q` (or `Q`).
  --encoding E    utf-8 (default) or gbk
  --timeout S     give up when a reply takes longer than S seconds (default 30)";
