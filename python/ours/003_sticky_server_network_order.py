# 我们写的，笔记没有这个程序：笔记 003_6803229bc8d13a65.txt 第 206-226 行「解决tcp协议中的粘包现象」的服务器端，
# 'i' 换成 '!i'（网络字节序，大端）；别的和 python/notes/003_sticky_server.py 一样（port ready fix）。
# Ours, not in the notes: notes 003_6803229bc8d13a65.txt, lines 206-226, "解决tcp协议中的粘包现象", the server, with
# '!i' (network order, big-endian) in place of 'i'; otherwise python/notes/003_sticky_server.py (port ready fix).
# ---
import socket  # fix
import sys  # port
import  struct
sk=socket.socket()
sk.bind(('127.0.0.1',int(sys.argv[1])))#申请操作系统的资源  # port
sk.listen()
print("listening on", sk.getsockname(), flush=True)  # ready

conn,addr=sk.accept()    #conn里存储的是一个客户端和我serve端的连接信息

msg1=input('>>>').encode()
msg2=input('>>>').encode()
  #num=str(len(msg1))#'6'
  #ret=num.zfill(4)#'0006'
  #conn.send(ret.encode('utf-8'))
blen=struct.pack('!i',len(msg1))
print(blen)
conn.send(blen)
conn.send(msg1)
conn.send(msg2)

conn.close()#四次挥手,断开连接

sk.close()#关闭服务，归还申请的操作系统资源
