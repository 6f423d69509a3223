# 笔记原文：004_bd2fe1a54798baeb.txt 第 98-118 行，「1.2.2 UDP 客户端编码」
# Source: notes 004_bd2fe1a54798baeb.txt, lines 98-118, "1.2.2 UDP 客户端编码"
# 改动：port
# Edits: port
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ("127.0.0.1", 8888)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ("127.0.0.1", 8888); here the address is 127.0.0.1 and the port is argument 1.
# ---
"""
    udp 套接字 客户端编程流程
"""
import sys  # port
from socket import *

# 1. 创建套接字
sockfd = socket(AF_INET, SOCK_DGRAM)  # 不能使用默认

ADDR = ("127.0.0.1", int(sys.argv[1]))  # port

# 2. 循环收发消息
while True:
    msg = input("Msg>>> ")
    if not msg:
        break
    sockfd.sendto(msg.encode(), ADDR)
    data, addr = sockfd.recvfrom(1024)
    print("Response: ", data.decode())

# 3. 关闭套接字
sockfd.close()
