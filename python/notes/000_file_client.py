# 笔记原文：000_b1f637a0e0f944e4.txt 第 139-181 行，「案例:文件下载器（二）」的客户端
# Source: notes 000_b1f637a0e0f944e4.txt, lines 139-181, "案例:文件下载器（二）", the client
# 改动：port folder
# Edits: port folder
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ("127.0.0.1", 8080)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ("127.0.0.1", 8080); here the address is 127.0.0.1 and the port is argument 1.
# folder：保存到命令行第 2 个参数给的文件夹（以 / 结尾），代替笔记的桌面 C:/Users/Poplar/Desktop/。
# folder: it saves into the folder of argument 2 (ending in /), in place of the notes' desktop C:/Users/Poplar/Desktop/.
# ---
"""
一个文件下载器的客户端，将服务器的指定文件下载到桌面
./1.txt -> C:/Users/Poplar/Desktop/1.txt

1. 导入依赖
2. 创建TCP socket
3. 连接TCP服务器
4. 接收用户输入的文件名
5. 将文件名发送给服务器
6. 在本地创建同名的文件，等待接收文件数据
7. 循环接收并写入文件数据
8. 关闭TCP socket
"""

# 1. 导入依赖
from socket import *
import sys  # port

# 2. 创建TCP socket
tcp_socket = socket(AF_INET, SOCK_STREAM)

# 3. 连接TCP服务器
tcp_socket.connect(("127.0.0.1", int(sys.argv[1])))  # port

# 4. 接收用户输入的文件名
filename = input("请输入要下载的文件名:\n")

# 5. 将文件名发送给服务器
tcp_socket.send(filename.encode())

# 6. 在本地创建同名的文件，等待接收文件数据
filepath = sys.argv[2] + filename  # folder
with open(filepath, "wb") as f:
    while True:
        # 7. 循环接收并写入文件数据
        recv_data = tcp_socket.recv(4096)
        if recv_data:
            f.write(recv_data)
        else:
            print("文件写入完毕:", filepath)
            break

# 8. 关闭TCP socket
tcp_socket.close()
