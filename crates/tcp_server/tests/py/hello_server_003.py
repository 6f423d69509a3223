# Notes 003 part 2 "tcp协议", 服务器端(server): the server speaks first. Faithful copy; for the
# tests the port comes from the command line (the notes use 9001) and one added print says
# when it is ready. ("最简单的网络通信" is the same program sending b'hell'.)
import sys
import  socket
sk=socket.socket()
sk.bind(('127.0.0.1',int(sys.argv[1])))     #申请操作系统的资源，绑定一个ip 和端口（元组）
sk.listen()    # 代表socket服务已经开启
print("listening on", sk.getsockname(), flush=True)  # (added for the tests)

print('sk:',sk)
conn,addr=sk.accept()            #conn里存储的是一个客户端和我serve端的连接信息，等，到有客户端来访问和客户端建立联系
print('coon:',conn)
conn.send(b'hello')                 # send直接通过连接发送消息，不需要写地址
msg=conn.recv(1024)
print(msg)
conn.close()    #四次挥手,断开连接

sk.close()    #关闭服务，归还申请的操作系统资源
