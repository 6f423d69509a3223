# 笔记原文：003_6803229bc8d13a65.txt 第 317-336 行，「验证客户端的合法性」的 client 端
# Source: notes 003_6803229bc8d13a65.txt, lines 317-336, "验证客户端的合法性", the client
# 改动：port
# Edits: port
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('127.0.0.1',9001)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('127.0.0.1',9001); here the address is 127.0.0.1 and the port is argument 1.
# ---
import sys  # port
import  socket
import  hashlib

secret_key=b'hahaha'
sk=socket.socket()
sk.connect(('127.0.0.1',int(sys.argv[1])))  # port

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
