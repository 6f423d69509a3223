# Notes 003 part 2 "利用tcp协议和多个客户端进行通信", 客户端(client). Faithful copy; for the tests
# the port comes from the command line (the notes use 9001). Its user types at '>>>' (fed on
# stdin by the tests).
import sys
import  socket

sk=socket.socket()
sk.connect(('127.0.0.1',int(sys.argv[1])))
while  True:#和服务器端使劲聊
	msg=sk.recv(1024).decode('utf-8')
	if  msg.upper()=='Q':break#关闭和该服务器通信
	print(msg)
	send_msg=input('>>>')
	sk.send(send_msg.encode('utf-8'))
	if  send_msg.upper()=='Q':break
sk.close()
