# 笔记原文：000_b1f637a0e0f944e4.txt 第 187-251 行，「案例:文件下载器（二）」的服务器
# Source: notes 000_b1f637a0e0f944e4.txt, lines 187-251, "案例:文件下载器（二）", the server
# 改动：port flush
# Edits: port flush
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ("", 8080)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ("", 8080); here the address is 127.0.0.1 and the port is argument 1.
# flush：print 加了 flush=True，输出经过管道时也马上出现。
# flush: prints get flush=True, so their lines show at once through a pipe too.
# ---
"""
文件下载器的服务端，接收客户端的文件名，把文件以流的形式返回给客户端

1. 导入依赖
2. 创建TCP socket
3. 绑定IP和端口号
4. 开启监听，变为被动模式
5. 等待客户端接入
6. 接收客户端传来的文件名
7. 打开文件
8. 循环读取文件内容，发送给客户端，最后关闭文件
9. 关闭客户端
10.关闭服务器

"""
# 1. 导入依赖
from socket import *
import sys  # port

# 2. 创建TCP socket
tcp_server_socket = socket(AF_INET, SOCK_STREAM)

# 当前socket对象关闭时，立即释放端口。
# .setsockopt(那个级别的套接字,属性名,属性值 )
# socket.SOL_SOCKET  当前套接字
# socket.SO_REUSEADD 设置地址重用  True 可以重用  False 不能重用
tcp_server_socket.setsockopt(SOL_SOCKET, SO_REUSEADDR, True)

# 3. 绑定IP和端口号
tcp_server_socket.bind(("127.0.0.1", int(sys.argv[1])))  # port

# 4. 开启监听，变为被动模式
tcp_server_socket.listen(128)

print("服务器已开启，等待客户端接入", flush=True)
while True:
    # 5. 等待客户端接入
    tcp_client_socket, ip_port = tcp_server_socket.accept()
    print("有新的客户端接入：", ip_port)

    # 6. 接收客户端传来的文件名
    bytes_data = tcp_client_socket.recv(1024)
    filename = bytes_data.decode()
    print(filename)

    # 7. 打开文件
    try:
        with open(filename, "rb") as f:
            while True:
                # 8. 循环读取文件内容，
                data = f.read(4096)
                if data:
                    # 发送给客户端，最后关闭文件
                    tcp_client_socket.send(data)
                else:
                    break
    except:
        print("文件不存在或打开失败: ", filename, flush=True)
    else:
        print("文件已读取发送完毕！", filename, flush=True)

    # 9. 关闭客户端
    tcp_client_socket.close()

# 10.关闭服务器
tcp_server_socket.close()
