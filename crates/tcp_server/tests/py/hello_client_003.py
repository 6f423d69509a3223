# Notes 003 part 2 "tcp协议", 客户端（client）. Faithful copy; for the tests the port comes from the
# command line (the notes use 9001).
# One recv(1024): it takes whatever has arrived, which may be several messages glued together.
import sys
import  socket

sk=socket.socket()
sk.connect(('127.0.0.1',int(sys.argv[1])))    # 客户端/tcp协议的方法，和serve端建立连接

msg=sk.recv(1024)    # 只接受消息
print(msg)

sk.send(b'bebebe')

sk.close()
