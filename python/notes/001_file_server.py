# 笔记原文：001_df77437b46ec7a02.txt 第 578-630 行，「案例：文件下载器」的服务器参考代码
# Source: notes 001_df77437b46ec7a02.txt, lines 578-630, "案例：文件下载器", the server
# 改动：port ready flush
# Edits: port ready flush
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记的端口本来就来自命令行；地址由 ''（所有地址）改成 127.0.0.1。
# port: the notes already take the port from the command line; the address '' (every address) becomes 127.0.0.1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# flush：print 加了 flush=True，输出经过管道时也马上出现。
# flush: prints get flush=True, so their lines show at once through a pipe too.
# ---
import socket
import sys


def get_file_content(file_name):
    """获取文件的内容"""
    try:
        with open(file_name, "rb") as f:
            content = f.read()
        return content
    except:
        print("没有下载的文件:%s" % file_name)


def main():
    if len(sys.argv) != 2:
        print("请按照如下方式运行：python3 xxx.py 7890")
        return
    else:
        # 运行方式为python3 xxx.py 7890
        port = int(sys.argv[1])


    # 创建socket
    tcp_server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # 本地信息
    address = ('127.0.0.1', port)  # port
    # 绑定本地信息
    tcp_server_socket.bind(address)
    # 将主动套接字变为被动套接字
    tcp_server_socket.listen(128)
    print("listening on", address, flush=True)  # ready

    while True:
        # 等待客户端的链接，即为这个客户端发送文件
        client_socket, clientAddr = tcp_server_socket.accept()
        # 接收对方发送过来的数据
        recv_data = client_socket.recv(1024)  # 接收1024个字节
        file_name = recv_data.decode("utf-8")
        print("对方请求下载的文件名为:%s" % file_name, flush=True)
        file_content = get_file_content(file_name)
        # 发送文件的数据给客户端
        # 因为获取打开文件时是以rb方式打开，所以file_content中的数据已经是二进制的格式，因此不需要encode编码
        if file_content:
            client_socket.send(file_content)
        # 关闭这个套接字
        client_socket.close()

    # 关闭监听套接字
    tcp_server_socket.close()


if __name__ == "__main__":
    main()
