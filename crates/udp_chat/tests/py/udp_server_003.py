# Notes 003 "udp协议", 1. 服务器端(server). Faithful copy; for the tests the port comes from the
# command line (the notes bind 127.0.0.1:9001) and one added print says when it is ready.
import  socket
import  sys
#type=socket.SOCK_DGRAM：udp协议          默认是tcp协议
sk=socket.socket(type=socket.SOCK_DGRAM)
sk.bind(('127.0.0.1',int(sys.argv[1])))     #申请操作系统的资源
print("listening on", sk.getsockname(), flush=True)  # (added for the tests)
while  True:
	msg,addr=sk.recvfrom(1024)        # 接受消息和地址
	print(msg.decode('utf-8'))
	mmsg=input('>>>')
	sk.sendto(mmsg.encode('utf-8'),addr)      # 需要写一个对方的地址
sk.close()  # 关闭服务器套接字 #关闭服务，归还申请的操作系统资源
