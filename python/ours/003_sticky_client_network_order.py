# 我们写的，笔记没有这个程序：笔记 003_6803229bc8d13a65.txt 第 230-243 行「解决tcp协议中的粘包现象」的客户端，
# 'i' 换成 '!i'（网络字节序，大端）；别的和 python/notes/003_sticky_client.py 一样（port）。
# Ours, not in the notes: notes 003_6803229bc8d13a65.txt, lines 230-243, "解决tcp协议中的粘包现象", the client, with
# '!i' (network order, big-endian) in place of 'i'; otherwise python/notes/003_sticky_client.py (port).
# ---
import sys  # port
import  time
import  socket
import  struct
sk=socket.socket()
sk.connect(('127.0.0.1',int(sys.argv[1])))  # port

length=sk.recv(4)    # 因为socket发送的是4个字节
length=struct.unpack('!i',length)[0]  #因为其返回的是个元组
msg1=sk.recv(length)
print(msg1.decode('utf-8'))

msg2=sk.recv(1024)
print(msg2.decode('utf-8'))
sk.close()
