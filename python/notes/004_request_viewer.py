# 笔记原文：004_bd2fe1a54798baeb.txt 第 238-260 行，「2.3.4 请求体」：查看 http 请求内容
# Source: notes 004_bd2fe1a54798baeb.txt, lines 238-260, "2.3.4 请求体", viewing an HTTP request
# 改动：port ready
# Edits: port ready
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ("127.0.0.1", 8888)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ("127.0.0.1", 8888); here the address is 127.0.0.1 and the port is argument 1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# ---
"""
    http 测试
        tcp 服务器端
    查看 http 请求内容
        请求行
        请求头
        空行
        请求体 # 因为没有内容, 所以显示空行
"""

import sys  # port
from socket import *

s = socket()
s.bind(("127.0.0.1", int(sys.argv[1])))  # port
s.listen(3)
print("listening on", s.getsockname(), flush=True)  # ready
c, addr = s.accept()

print("Connect From", addr)
data = c.recv(2048)
print(data.decode())

c.close()
s.close()
