# Notes 003 part 3 "验证客户端的合法性", serve端. Faithful copy; for the tests the port comes from
# the command line (the notes use 9001), and one added print says when it is ready.
# It serves one client: a legal one hears b'hello', any other is closed.
import sys
import  socket
import  os
import  hashlib

secret_key=b'hahaha'
sk=socket.socket()
sk.bind(('127.0.0.1',int(sys.argv[1])))
sk.listen()
print("listening on", sk.getsockname(), flush=True)  # (added for the tests)

conn,addr=sk.accept()
#创建一个随机的字符串
rand=os.urandom(32)
#发送随机字符串
conn.send(rand)

#根据发送的字符串+secretekey进行摘要
sha=hashlib.sha1(secret_key)
sha.update(rand)
res=sha.hexdigest()

#等待接受客户端的摘要结果
res_client=conn.recv(1024).decode('utf-8')
#做对比
if  res_client==res:
	print('是合法的客户端')
	conn.send(b'hello')
else:
	conn.close()
#如果不一致，这关闭连接
