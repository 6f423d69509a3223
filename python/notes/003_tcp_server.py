# 笔记原文：003_6803229bc8d13a65.txt 第 114-127 行，「tcp协议」的服务器端
# Source: notes 003_6803229bc8d13a65.txt, lines 114-127, "tcp协议", the server
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
sk=socket.socket()
sk.bind(('127.0.0.1',int(sys.argv[1])))     #申请操作系统的资源，绑定一个ip 和端口（元组）  # port
sk.listen()    # 代表socket服务已经开启
print("listening on", sk.getsockname(), flush=True)  # ready

print('sk:',sk)
conn,addr=sk.accept()            #conn里存储的是一个客户端和我serve端的连接信息，等，到有客户端来访问和客户端建立联系
print('coon:',conn)
conn.send(b'hello')                 # send直接通过连接发送消息，不需要写地址
msg=conn.recv(1024)
print(msg)
conn.close()    #四次挥手,断开连接

sk.close()    #关闭服务，归还申请的操作系统资源
