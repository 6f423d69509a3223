# Notes 003 "udp协议", 2. 客户端（client）. Faithful copy; for the tests the server's port comes
# from the command line (the notes use 127.0.0.1:9001). As in the notes, print(msg) stands after
# the loop: the last reply is shown when the conversation ends.
import  socket
import  sys
sk=socket.socket(type=socket.SOCK_DGRAM)

serve=('127.0.0.1',int(sys.argv[1]))
while  True:
	mmmsg=input('>><')
	if  mmmsg.upper()=='Q':break
	sk.sendto(mmmsg.encode('utf-8'),serve)

	msg=sk.recv(1024).decode('utf-8')
	if  msg.upper()=='Q':break
print(msg)
