# Notes 000 "tcp网络程序-客户端": the five steps. Faithful copy; for the tests the server is
# 127.0.0.1 and the port comes from the command line (the notes use 192.168.37.39:8080).
# 1. 导入依赖库
import socket
import sys

# 2. 创建socket对象TCP
tcp_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

# 3. 连接tcp服务器 connect
tcp_socket.connect(("127.0.0.1", int(sys.argv[1])))

# 4. 发送数据          send
tcp_socket.send("你好！".encode())

# 5. 关闭socket对象
tcp_socket.close()
