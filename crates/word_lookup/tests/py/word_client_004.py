"""
    1.5 案例：查找单词 —— 客户端  (notes 004 §1.5)
    The notes give no code for this case: this is their §1.2.2 UDP client unchanged (it sends
    what is typed and prints the answer), which is all the case needs. For the tests the
    server's port comes from the command line (the notes use 8888).
"""
import sys
from socket import *

# 1. 创建套接字
sockfd = socket(AF_INET, SOCK_DGRAM)  # 不能使用默认

ADDR = ("127.0.0.1", int(sys.argv[1]))

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
