# 笔记原文：003_6803229bc8d13a65.txt 第 146-161 行，「利用tcp协议和多个客户端进行通信」的服务器端
# Source: notes 003_6803229bc8d13a65.txt, lines 146-161, "利用tcp协议和多个客户端进行通信", the server
# 改动：port ready fix
# Edits: port ready fix
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('127.0.0.1',9001)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('127.0.0.1',9001); here the address is 127.0.0.1 and the port is argument 1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# fix：笔记这段代码没有 `import socket`，一运行就 NameError；这里补上。
# fix: this listing of the notes has no `import socket`: a NameError at once; it is added.
# ---
import socket  # fix
import sys  # port
sk=socket.socket()
sk.bind(('127.0.0.1',int(sys.argv[1])))#申请操作系统的资源  # port
sk.listen()
print("listening on", sk.getsockname(), flush=True)  # ready

while  True:#为了和多个客户端进行握手
	conn,addr=sk.accept()#能够和多个客户端握手了
	while  True:#和一个客户使劲聊天
		send_msg=input('>>>')
		conn.send(send_msg.encode('utf-8'))
		if  send_msg.upper()=='Q':break#关闭和该用户通信
		msg=conn.recv(1024).decode('utf-8')
		if  msg.upper()=='Q':break
		print(msg)
	conn.close()#挥手,断开连接

sk.close()#关闭服务，归还申请的操作系统资源
