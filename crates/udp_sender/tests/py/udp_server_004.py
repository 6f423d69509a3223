"""
    udp 套接字 服务端流程  (notes 004 §1.1.3)
    Faithful copy; for the tests the port comes from the command line (the notes use 8888) and
    one added print says when it is ready.
"""
import sys
from socket import *

# 1. 创建套接字
#  第一个参数： ipv4 ； 第二个参数： UDP编程 --> 不能选择默认
sockfd = socket(AF_INET, SOCK_DGRAM)

# 2. 绑定地址
server_addr = ("127.0.0.1", int(sys.argv[1]))
sockfd.bind(server_addr)
print("listening on", server_addr, flush=True)  # (added for the tests)

# 3. 循环收发消息
while True:
    try:
        data, addr = sockfd.recvfrom(1024)
    except KeyboardInterrupt:
        break
    print("From clinet %s ,Msg: %s" % (addr, data.decode()), flush=True)
    sockfd.sendto(b'Thanks', addr)

# 4. 关闭套接字
sockfd.close()
