# Notes 003 part 2 "解决tcp协议中的粘包现象", 客户端(client). Faithful copy; for the tests the port
# comes from the command line (the notes use 9001).
# It reads a 4-byte length, then that many bytes (one recv each: may return fewer), then one
# recv(1024) for msg2.
import sys
import  time
import  socket
import  struct
sk=socket.socket()
sk.connect(('127.0.0.1',int(sys.argv[1])))

length=sk.recv(4)    # 因为socket发送的是4个字节
length=struct.unpack('i',length)[0]  #因为其返回的是个元组
msg1=sk.recv(length)
print(msg1.decode('utf-8'))

msg2=sk.recv(1024)
print(msg2.decode('utf-8'))
sk.close()
