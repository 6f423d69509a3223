# 笔记原文：003_6803229bc8d13a65.txt 第 345-359 行，「socketserver模块--针对并发编程」的 server 端
# Source: notes 003_6803229bc8d13a65.txt, lines 345-359, "socketserver模块--针对并发编程", the server
# 改动：port ready
# Edits: port ready
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('127.0.0.1',9001)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('127.0.0.1',9001); here the address is 127.0.0.1 and the port is argument 1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# ---
import  socketserver
import sys  # port

class  Myserver(socketserver.BaseRequestHandler):
	def  handle(self):
		conn=self.request
		while  True:
			try:
				content=conn.recv(1024).decode('utf-8')
				print(content)
				conn.send(content.upper().encode('utf-8'))
			except  ConnectionResetError:
				break

server=socketserver.ThreadingTCPServer(('127.0.0.1',int(sys.argv[1])),Myserver)  # port
print("listening on", server.server_address, flush=True)  # ready
server.serve_forever()
