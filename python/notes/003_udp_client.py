# 笔记原文：003_6803229bc8d13a65.txt 第 268-279 行，「udp协议」的客户端
# Source: notes 003_6803229bc8d13a65.txt, lines 268-279, "udp协议", the client
# 改动：port
# Edits: port
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('127.0.0.1',9001)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('127.0.0.1',9001); here the address is 127.0.0.1 and the port is argument 1.
# ---
import  socket
import  sys  # port
sk=socket.socket(type=socket.SOCK_DGRAM)

serve=('127.0.0.1',int(sys.argv[1]))  # port
while  True:
	mmmsg=input('>><')
	if  mmmsg.upper()=='Q':break
	sk.sendto(mmmsg.encode('utf-8'),serve)

	msg=sk.recv(1024).decode('utf-8')
	if  msg.upper()=='Q':break
print(msg)
