# Notes 002 "文件下载客户端:". Faithful copy (the notes lost their indentation; it is put back
# here): it asks for the ip, the port and the name, saves under the name in its folder, and
# deletes the file again when nothing arrived.
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
