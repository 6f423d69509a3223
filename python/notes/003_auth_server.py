# 笔记原文：003_6803229bc8d13a65.txt 第 285-313 行，「验证客户端的合法性」的 serve 端
# Source: notes 003_6803229bc8d13a65.txt, lines 285-313, "验证客户端的合法性", the server
# 改动：port ready
# Edits: port ready
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('127.0.0.1',9001)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('127.0.0.1',9001); here the address is 127.0.0.1 and the port is argument 1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# ---
import sys  # port
import  socket
import  os
import  hashlib

secret_key=b'hahaha'
sk=socket.socket()
sk.bind(('127.0.0.1',int(sys.argv[1])))  # port
sk.listen()
print("listening on", sk.getsockname(), flush=True)  # ready

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
