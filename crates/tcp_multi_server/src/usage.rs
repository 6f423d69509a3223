//! `--help`: the usage, in Chinese (the default) and in English (`NET_LESSONS_LANG=en`).

pub const USAGE_ZH: &str = "\
用法：tcp_multi_server [--bind 127.0.0.1:9001] [--max-clients N] [--idle-grace S]
                       [--idle-timeout S] [--max-time S]

同时服务所有客户端，每个客户端一个线程；把收到的每一块数据转成大写（只转 ASCII 字母）发回，
直到客户端关闭连接。
  --bind ADDR       监听的地址（默认 127.0.0.1:9001，笔记的地址）
  --max-clients N   同时最多服务 N 个客户端；满了时，新客户端顶替一个连上后什么都没发的，
                    否则顶替空闲最久的那个（要空闲 1.5 秒以上）。默认：MAX_CLIENTS
  --idle-grace S    上面的 1.5 秒（测试用更短的，跑得快）
  --idle-timeout S  客户端 S 秒既不发也不读，就关闭它（默认 60）
  --max-time S      任何客户端最多服务 S 秒（默认 600）";

pub const USAGE_EN: &str = "\
usage: tcp_multi_server [--bind 127.0.0.1:9001] [--max-clients N] [--idle-grace S]
                        [--idle-timeout S] [--max-time S]

Serves every client at the same time, a thread each; sends each chunk back upper-cased
(ASCII letters only) until the client closes.
  --bind ADDR       the address to listen on (default 127.0.0.1:9001, the notes' address)
  --max-clients N   serve at most N clients at once; when full, a new client takes the
                    place of one that has sent nothing yet, else of the one idle the
                    longest, if idle 1.5 s or more. Default: MAX_CLIENTS
  --idle-grace S    that 1.5 s (the tests use less to run quicker)
  --idle-timeout S  close a client that sends or reads nothing for S seconds (default 60)
  --max-time S      close any client after S seconds in all (default 600)";
