# Notes 003 "socketserver模块--针对并发编程", client ("与原来的相同"). Faithful copy; for the
# tests the port comes from the command line (the notes use 9001). It never stops by itself.
import  socket
import  sys
sk=socket.socket()
sk.connect(('127.0.0.1',int(sys.argv[1])))

while  True:
	sk.send(b'hello')
	content=sk.recv(1024).decode('utf-8')
print(content)
