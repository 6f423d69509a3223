# 笔记原文：001_df77437b46ec7a02.txt 第 245-270 行，「udp 网络程序 - 接收数据」
# Source: notes 001_df77437b46ec7a02.txt, lines 245-270, "udp 网络程序 - 接收数据"
# 改动：port
# Edits: port
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ('192.168.236.129', 8080)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ('192.168.236.129', 8080); here the address is 127.0.0.1 and the port is argument 1.
# ---
import socket
import sys  # port

# 1. 创建udp套接字
udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

# 2. 准备接收方的地址
dest_addr = ('127.0.0.1', int(sys.argv[1]))  # port

# 3. 从键盘获取数据
send_data = input("请输入要发送的数据:")

# 4. 发送数据到指定的电脑上
udp_socket.sendto(send_data.encode('utf-8'), dest_addr)

# 5. 等待接收对方发送的数据
recv_data = udp_socket.recvfrom(1024)  # 1024表示本次接收的最大字节数

# 6. 显示对方发送的数据
# 接收到的数据recv_data是一个元组
# 第1个元素是对方发送的数据
# 第2个元素是对方的ip和端口
print(recv_data[0].decode('gbk'))
print(recv_data[1])

# 7. 关闭套接字
udp_socket.close()
