# Notes 003 part 2 "解决tcp协议中的粘包现象", 服务器端(server), with '!i' (network order, big-endian)
# instead of 'i'. Otherwise the same faithful copy as sticky_server_003.py: for the tests the
# port comes from the command line (the notes use 9001), `import socket` is added (the notes'
# listing leaves it out and would stop at NameError), and one added print says when it is ready.
# It asks for two messages after a client connects, sends msg1's length and msg1, then msg2 raw.
import socket  # (added: missing in the notes)
import sys
import  struct
sk=socket.socket()
sk.bind(('127.0.0.1',int(sys.argv[1])))#申请操作系统的资源
sk.listen()
print("listening on", sk.getsockname(), flush=True)  # (added for the tests)

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
