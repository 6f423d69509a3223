# 笔记原文：002_3ed8f3c9aec243c0.txt 第 212-245 行，「文件下载客户端:」
# Source: notes 002_3ed8f3c9aec243c0.txt, lines 212-245, "文件下载客户端:"
# 改动：indent
# Edits: indent
# indent：笔记 002 丢了缩进，这里按 Python 的语法补回，别的字一个没改。
# indent: notes 002 lost their indentation; it is rebuilt as Python needs, not another character changed.
# ---
import os
import socket
def main():
    # 创建客户端socket
    tcp_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # 连接服务器 输入IP ,port ,文件名
    server_ip = input("ip地址:")
    server_port = int(input("端口:"))
    file_name = input("文件名:")
    # 连接服务器
    tcp_socket.connect((server_ip, server_port))
    # 下载的文件名
    tcp_socket.send(file_name.encode())
    # 接受文件,保存在本地
    file = open(file_name, "wb")
    count = 0
    while True:
        data = tcp_socket.recv(1024)
        if data:
            print("收到消息")
            file.write(data)
            count += len(data)
        else:
            file.close()
            if count == 0:
                os.remove(file_name)
                # os.remove(file_name)
                print("没有下载文件")
            else:
                print("文件传输完毕")
            break
    tcp_socket.close()
if __name__ == '__main__':
    main()
