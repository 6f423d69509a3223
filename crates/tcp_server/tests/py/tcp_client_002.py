# Notes 002 "TCP客户端": sends GBK lines until the server closes. Faithful copy; for the tests
# the server is 127.0.0.1 and the port comes from the command line (the notes use
# 192.168.113.146:10050).
import socket
import sys
def main():
    # 创建客户端套接字
    tcp_socket = socket.socket(socket.AF_INET,socket.SOCK_STREAM)
    # connect填写远程服务器ip
    tcp_socket.connect(("127.0.0.1", int(sys.argv[1])))
    while True:
        data = input("输入:")
        tcp_socket.send(data.encode("GBK"))
        recv_data = tcp_socket.recv(10)
        # tcp需要判断服务器是否关闭
        if recv_data:
            print("收到数据" + recv_data.decode("GBK"), flush=True)
        else:
            print("对方关闭了链接", flush=True)
            break
    tcp_socket.close()
if __name__ == '__main__':
    main()
