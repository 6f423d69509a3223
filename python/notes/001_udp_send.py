# 笔记原文：001_df77437b46ec7a02.txt 第 220-237 行，「udp 网络程序 - 发送数据」
# Source: notes 001_df77437b46ec7a02.txt, lines 220-237, "udp 网络程序 - 发送数据"
# 改动：port
# Edits: port
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('192.168.1.103', 8080)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('192.168.1.103', 8080); here the address is 127.0.0.1 and the port is argument 1.
# ---
import socket
import sys  # port

# 1. 创建udp套接字
udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

# 2. 准备接收方的地址
# '192.168.1.103'表示目的ip地址
# 8080表示目的端口
dest_addr = ('127.0.0.1', int(sys.argv[1]))  # 注意 是元组，ip是字符串，端口是数字  # port

# 3. 从键盘获取数据
send_data = input("请输入要发送的数据:")

# 4. 发送数据到指定的电脑上的指定程序中
udp_socket.sendto(send_data.encode('utf-8'), dest_addr)

# 5. 关闭套接字
udp_socket.close()
