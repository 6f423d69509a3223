# 我们写的，笔记没有这个程序：照笔记 000_b1f637a0e0f944e4.txt 第 17-35 行「tcp网络程序-客户端」的五个步骤写成。
# Ours, not in the notes: written from the five steps of notes 000_b1f637a0e0f944e4.txt, lines 17-35, "tcp网络程序-客户端".
# 笔记只列了步骤和两行代码（connect 和 send）；其余几行（创建 socket、关闭）按步骤的说明补上。
# The notes give the steps and two lines (connect and send); the other lines follow the steps' words.
# 地址是 127.0.0.1，端口来自命令行（第 1 个参数；笔记连 192.168.37.39:8080）。
# The address is 127.0.0.1 and the port is argument 1 (the notes connect to 192.168.37.39:8080).
# ---
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
