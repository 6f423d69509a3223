# 笔记原文：000_b1f637a0e0f944e4.txt 第 76-126 行，「tcp网络程序-服务器增强」
# Source: notes 000_b1f637a0e0f944e4.txt, lines 76-126, "tcp网络程序-服务器增强"
# 改动：port flush
# Edits: port flush
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ("", 8080)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ("", 8080); here the address is 127.0.0.1 and the port is argument 1.
# flush：print 加了 flush=True，输出经过管道时也马上出现。
# flush: prints get flush=True, so their lines show at once through a pipe too.
# ---
"""
TCP服务器的流程

 1. 导入依赖库
 2. 创建socket对象 TCP
 3. bind IP地址和端口号
 4. listen 变为被动模式
 5. accept 等待客户端的接入
 6. 接收/发送数据
 7. 关闭socket对象

 能够接受多个客户端连接
"""

# 1. 导入依赖库
import socket
import sys  # port

# 2. 创建socket对象 TCP
tcp_server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

# 3. bind IP地址和端口号
tcp_server_socket.bind(("127.0.0.1", int(sys.argv[1])))  # port

# 4. listen 变为被动模式
tcp_server_socket.listen(128)

print("服务器已开启，等待客户端的接入", flush=True)

while True:
    # 5. accept 循环等待客户端的接入 (阻塞)
    #   元素1：接入客户端socket对象
    #   元素2：客户端的（IP地址, 端口）元组
    tcp_client_socket, ip_port = tcp_server_socket.accept()
    print("有新的客户端接入：", ip_port)

    # 6. 接收/发送数据
    while True:
        recv_data = tcp_client_socket.recv(1024)
        if recv_data:
            print("收到客户端的消息：",recv_data.decode("GBK"), flush=True)
            # 发送消息
            tcp_client_socket.send("收到！".encode())
        else:
            print("客户端已断开：",ip_port, flush=True)
            # 关闭了socket客户端，无法再与此客户端进行数据通信
            tcp_client_socket.close()
            break

# 7. 关闭socket对象
# 关闭socket服务器，不再接收新的客户端接入，不影响已接入的客户端的数据收发
tcp_server_socket.close()
