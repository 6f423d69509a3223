# 笔记原文：003_6803229bc8d13a65.txt 第 165-176 行，「利用tcp协议和多个客户端进行通信」的客户端
# Source: notes 003_6803229bc8d13a65.txt, lines 165-176, "利用tcp协议和多个客户端进行通信", the client
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
sk.connect(('127.0.0.1',int(sys.argv[1])))  # port
while  True:#和服务器端使劲聊
	msg=sk.recv(1024).decode('utf-8')
	if  msg.upper()=='Q':break#关闭和该服务器通信
	print(msg)
	send_msg=input('>>>')
	sk.send(send_msg.encode('utf-8'))
	if  send_msg.upper()=='Q':break
sk.close()
