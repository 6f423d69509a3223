"""
伪造一个HTTP响应报文 (notes 000 "HTTP响应报文格式").

The notes give only the response itself:

    HTTP/1.1 200 OK
    Content-Length: 20
    Content-Type: text/html; charset=gbk
    Server: HMS

    <h2>标题</h2>1111111

sent here by the notes' own TCP server steps (000 "tcp网络程序-服务器增强": socket, bind, listen,
accept, recv, send, close), the text encoded in GBK as its charset says. For the tests the
address is 127.0.0.1, the port comes from the command line (the notes bind ("", 8080)), and one
added print says when it is ready.
"""

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
print("listening on", tcp_server_socket.getsockname(), flush=True)  # (added for the tests)

while True:
    # 5. accept 等待浏览器的接入
    tcp_client_socket, ip_port = tcp_server_socket.accept()

    # 6. 接收请求报文, 发送响应报文
    request = tcp_client_socket.recv(1024)
    tcp_client_socket.send(response.encode("gbk"))

    # 7. 关闭与这个浏览器的连接
    tcp_client_socket.close()
