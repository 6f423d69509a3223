# 笔记原文：003_6803229bc8d13a65.txt 第 255-264 行，「udp协议」的服务器端
# Source: notes 003_6803229bc8d13a65.txt, lines 255-264, "udp协议", the server
# 改动：port ready
# Edits: port ready
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('127.0.0.1',9001)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('127.0.0.1',9001); here the address is 127.0.0.1 and the port is argument 1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# ---
import  socket
import  sys  # port
#type=socket.SOCK_DGRAM：udp协议          默认是tcp协议
sk=socket.socket(type=socket.SOCK_DGRAM)
sk.bind(('127.0.0.1',int(sys.argv[1])))     #申请操作系统的资源  # port
print("listening on", sk.getsockname(), flush=True)  # ready
while  True:
	msg,addr=sk.recvfrom(1024)        # 接受消息和地址
	print(msg.decode('utf-8'))
	mmsg=input('>>>')
	sk.sendto(mmsg.encode('utf-8'),addr)      # 需要写一个对方的地址
sk.close()  # 关闭服务器套接字 #关闭服务，归还申请的操作系统资源
