# Notes 001 "UDP 网络程序的端口绑定": bind a port, receive one datagram, print it.
# Faithful copy; changes for the tests: the port comes from the command line (the notes use
# 7788), the address is 127.0.0.1 (the notes bind '', every address), and one added print says
# when it is ready.
import socket
import sys

# 1. 创建套接字
udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

# 2. 绑定本地的相关信息，如果一个网络程序不绑定，则系统会随机分配
local_addr = ('127.0.0.1', int(sys.argv[1]))  # ip地址和端口号，ip一般不用写，表示本机的任何一个ip
udp_socket.bind(local_addr)
print("listening on", local_addr, flush=True)  # (added for the tests)

# 3. 等待接收对方发送的数据
recv_data = udp_socket.recvfrom(1024)  # 1024表示本次接收的最大字节数

# 4. 显示接收到的数据
print(recv_data[0].decode('utf-8'))

# 5. 关闭套接字
udp_socket.close()
