# 笔记原文：001_df77437b46ec7a02.txt 第 298-314 行，「udp 网络程序绑定端口代码示例」
# Source: notes 001_df77437b46ec7a02.txt, lines 298-314, "udp 网络程序绑定端口代码示例"
# 改动：port ready
# Edits: port ready
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('', 7788)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('', 7788); here the address is 127.0.0.1 and the port is argument 1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# ---
import socket
import sys  # port

# 1. 创建套接字
udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

# 2. 绑定本地的相关信息，如果一个网络程序不绑定，则系统会随机分配
local_addr = ('127.0.0.1', int(sys.argv[1])) #  ip地址和端口号，ip一般不用写，表示本机的任何一个ip  # port
udp_socket.bind(local_addr)
print("listening on", local_addr, flush=True)  # ready

# 3. 等待接收对方发送的数据
recv_data = udp_socket.recvfrom(1024) #  1024表示本次接收的最大字节数

# 4. 显示接收到的数据
print(recv_data[0].decode('utf-8'))

# 5. 关闭套接字
udp_socket.close()
