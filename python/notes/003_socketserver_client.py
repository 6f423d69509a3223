# 笔记原文：003_6803229bc8d13a65.txt 第 363-370 行，「socketserver模块--针对并发编程」的 client 端
# Source: notes 003_6803229bc8d13a65.txt, lines 363-370, "socketserver模块--针对并发编程", the client
# 改动：port
# Edits: port
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('127.0.0.1',9001)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('127.0.0.1',9001); here the address is 127.0.0.1 and the port is argument 1.
# ---
import  socket
import  sys  # port
sk=socket.socket()
sk.connect(('127.0.0.1',int(sys.argv[1])))  # port

while  True:
	sk.send(b'hello')
	content=sk.recv(1024).decode('utf-8')
print(content)
