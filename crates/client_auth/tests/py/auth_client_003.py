# Notes 003 part 3 "验证客户端的合法性", client端. Faithful copy; for the tests the port comes from
# the command line (the notes use 9001).
# It prints what the server says after the answer: b'hello', or b'' when it was closed.
import sys
import  socket
import  hashlib

secret_key=b'hahaha'
sk=socket.socket()
sk.connect(('127.0.0.1',int(sys.argv[1])))

#接收客户端发送的随机字符串
rand=sk.recv(32)
#根据发送的字符串+secretkey进行摘要
sha=hashlib.sha1(secret_key)
sha.update(rand)
res=sha.hexdigest()
#摘要结果发送回server端
sk.send(res.encode('utf-8'))
#继续和server端进行通信
msg=sk.recv(1024)
print(msg)

sk.close()
