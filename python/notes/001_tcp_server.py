# 笔记原文：001_df77437b46ec7a02.txt 第 527-554 行，「TCP 网络程序 - 服务器」：一个很简单的TCP服务器
# Source: notes 001_df77437b46ec7a02.txt, lines 527-554, "TCP 网络程序 - 服务器", the very simple TCP server
# 改动：port ready flush
# Edits: port ready flush
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('', 7788)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('', 7788); here the address is 127.0.0.1 and the port is argument 1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# flush：print 加了 flush=True，输出经过管道时也马上出现。
# flush: prints get flush=True, so their lines show at once through a pipe too.
# ---
import socket
import sys  # port

# 创建socket
tcp_server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

# 本地信息
address = ('127.0.0.1', int(sys.argv[1]))  # port

# 绑定
tcp_server_socket.bind(address)

# 使用socket创建的套接字默认的属性是主动的，使用listen将其变为被动的，这样就可以接收别人的链接了
tcp_server_socket.listen(128)
print("listening on", address, flush=True)  # ready

# 如果有新的客户端来链接服务器，那么就产生一个新的套接字专门为这个客户端服务
# client_socket用来为这个客户端服务
# tcp_server_socket就可以省下来专门等待其他新客户端的链接
client_socket, clientAddr = tcp_server_socket.accept()

# 接收对方发送过来的数据
recv_data = client_socket.recv(1024)  # 接收1024个字节
print('接收到的数据为:', recv_data.decode('utf-8'), flush=True)

# 发送一些数据到客户端
client_socket.send("thank you !".encode('utf-8'))

# 关闭为这个客户端服务的套接字，只要关闭了，就意味着为不能再为这个客户端服务了，如果还需要服务，只能再次重新连接
client_socket.close()
