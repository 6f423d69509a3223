# 笔记原文：003_6803229bc8d13a65.txt 第 131-141 行，「tcp协议」的客户端
# Source: notes 003_6803229bc8d13a65.txt, lines 131-141, "tcp协议", the client
# 改动：port
# Edits: port
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('127.0.0.1',9001)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('127.0.0.1',9001); here the address is 127.0.0.1 and the port is argument 1.
# ---
import sys  # port
import  socket

sk=socket.socket()
sk.connect(('127.0.0.1',int(sys.argv[1])))    # 客户端/tcp协议的方法，和serve端建立连接  # port

msg=sk.recv(1024)    # 只接受消息
print(msg)

sk.send(b'bebebe')

sk.close()
