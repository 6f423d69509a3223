# 笔记原文：004_bd2fe1a54798baeb.txt 第 62-86 行，「1.1.3 UDP 服务端编程」
# Source: notes 004_bd2fe1a54798baeb.txt, lines 62-86, "1.1.3 UDP 服务端编程"
# 改动：port ready flush
# Edits: port ready flush
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ("127.0.0.1", 8888)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ("127.0.0.1", 8888); here the address is 127.0.0.1 and the port is argument 1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# flush：print 加了 flush=True，输出经过管道时也马上出现。
# flush: prints get flush=True, so their lines show at once through a pipe too.
# ---
"""
    udp 套接字 服务端流程
"""

from socket import *
import sys  # port

# 1. 创建套接字
#  第一个参数： ipv4 ； 第二个参数： UDP编程 --> 不能选择默认
sockfd = socket(AF_INET, SOCK_DGRAM)

# 2. 绑定地址
server_addr = ("127.0.0.1", int(sys.argv[1]))  # port
sockfd.bind(server_addr)
print("listening on", server_addr, flush=True)  # ready

# 3. 循环收发消息
while True:
    try:
        data, addr = sockfd.recvfrom(1024)
    except KeyboardInterrupt:
        break
    print("From clinet %s ,Msg: %s" % (addr, data.decode()), flush=True)
    sockfd.sendto(b'Thanks', addr)

# 4. 关闭套接字
sockfd.close()
