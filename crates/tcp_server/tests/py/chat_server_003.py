# Notes 003 part 2 "利用tcp协议和多个客户端进行通信", 服务器端(server). Faithful copy; for the tests
# the port comes from the command line (the notes use 9001), `import socket` is added (the
# notes' listing leaves it out and would stop at NameError), and one added print says when it
# is ready. The server's user types at '>>>' (fed on stdin by the tests).
import socket  # (added: missing in the notes)
import sys
sk=socket.socket()
sk.bind(('127.0.0.1',int(sys.argv[1])))#申请操作系统的资源
sk.listen()
print("listening on", sk.getsockname(), flush=True)  # (added for the tests)

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
