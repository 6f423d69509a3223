# 笔记原文：003_6803229bc8d13a65.txt 第 230-243 行，「解决tcp协议中的粘包现象」的客户端
# Source: notes 003_6803229bc8d13a65.txt, lines 230-243, "解决tcp协议中的粘包现象", the client
# 改动：port
# Edits: port
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('127.0.0.1',9001)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('127.0.0.1',9001); here the address is 127.0.0.1 and the port is argument 1.
# ---
import sys  # port
import  time
import  socket
import  struct
sk=socket.socket()
sk.connect(('127.0.0.1',int(sys.argv[1])))  # port

length=sk.recv(4)    # 因为socket发送的是4个字节
length=struct.unpack('i',length)[0]  #因为其返回的是个元组
msg1=sk.recv(length)
print(msg1.decode('utf-8'))

msg2=sk.recv(1024)
print(msg2.decode('utf-8'))
sk.close()
