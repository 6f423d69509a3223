# 笔记原文：001_df77437b46ec7a02.txt 第 472-494 行，「TCP 网络程序 - 客户端」的示例代码
# Source: notes 001_df77437b46ec7a02.txt, lines 472-494, "TCP 网络程序 - 客户端", the sample code
# 改动：无
# Edits: none
# ---
import socket

# 创建socket
tcp_client_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

# 目的信息
server_ip = input("请输入服务器ip:")
server_port = int(input("请输入服务器port:"))

# 链接服务器
tcp_client_socket.connect((server_ip, server_port))

# 提示用户输入数据
send_data = input("请输入要发送的数据：")

tcp_client_socket.send(send_data.encode("utf-8"))

# 接收对方发送过来的数据，最大接收1024个字节
recvData = tcp_client_socket.recv(1024)
print('接收到的数据为:', recvData.decode('utf-8'))

# 关闭套接字
tcp_client_socket.close()
