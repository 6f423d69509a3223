# 我们写的，笔记没有这个程序：笔记 000_b1f637a0e0f944e4.txt 第 370-377 行「HTTP响应报文格式」只给了伪造的响应报文，
# 这里用笔记第 75-127 行「tcp网络程序-服务器增强」的步骤把它发出去（socket、bind、listen、accept、recv、send、close）。
# Ours, not in the notes: notes 000_b1f637a0e0f944e4.txt, lines 370-377, "HTTP响应报文格式", give only the forged response;
# it is sent here by the steps of the notes' server (lines 75-127, "tcp网络程序-服务器增强").
# 按响应头说的 charset 用 GBK 编码；Content-Length: 20 数的是 GBK 字节。
# The text is encoded in GBK as its charset says; Content-Length: 20 counts the GBK bytes.
# 地址是 127.0.0.1，端口来自命令行（第 1 个参数；笔记的服务器绑定 ("", 8080)）；开始监听后打印 listening on …。
# The address is 127.0.0.1, the port is argument 1 (the notes' server binds ("", 8080)); it prints listening on ... once listening.
# ---
# 1. 导入依赖库
import socket
import sys

# 伪造的响应报文: 响应行, 响应头, 空行, 响应体 (Content-Length: 20 数的是 GBK 字节)
response = "HTTP/1.1 200 OK\r\n" \
           "Content-Length: 20\r\n" \
           "Content-Type: text/html; charset=gbk\r\n" \
           "Server: HMS\r\n" \
           "\r\n" \
           "<h2>标题</h2>1111111"

# 2. 创建socket对象 TCP
tcp_server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

# 3. bind IP地址和端口号
tcp_server_socket.bind(("127.0.0.1", int(sys.argv[1])))

# 4. listen 变为被动模式
tcp_server_socket.listen(128)
print("listening on", tcp_server_socket.getsockname(), flush=True)

while True:
    # 5. accept 等待浏览器的接入
    tcp_client_socket, ip_port = tcp_server_socket.accept()

    # 6. 接收请求报文, 发送响应报文
    request = tcp_client_socket.recv(1024)
    tcp_client_socket.send(response.encode("gbk"))

    # 7. 关闭与这个浏览器的连接
    tcp_client_socket.close()
